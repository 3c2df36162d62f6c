Describe 'The Image Builder recipe' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        New-TestResourceGroup -SubscriptionId $sub -Name 'aib-images'
        New-TestResourceGroup -SubscriptionId $sub -Name 'aib-network'

        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images' -SubscriptionId $sub
        $imageRole = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $sub -ResourceGroupName 'aib-images'
        $networkRole = New-AibRoleDefinition -Scenario Networking -SubscriptionId $sub -ResourceGroupName 'aib-network'
        $imageAssignment = $identity | New-AibRoleAssignment -RoleDefinitionId $imageRole.Id -ResourceGroupName 'aib-images' -SubscriptionId $sub -ObjectType ServicePrincipal
        $networkAssignment = $identity | New-AibRoleAssignment -RoleDefinitionId $networkRole.ResourceId -ResourceGroupName 'aib-network' -SubscriptionId $sub -ObjectType ServicePrincipal
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when run once' {
        It 'creates the identity with a principal and client id' {
            $identity.PSObject.TypeNames | Should -Contain 'AibPermissions.UserAssignedIdentity'
            $identity.Name | Should -Be 'aibIdentity'
            $identity.ResourceGroupName | Should -Be 'aib-images'
            $identity.Location | Should -Be 'westus2'
            $identity.PrincipalId | Should -Match '^[0-9a-f-]{36}$'
            $identity.ClientId | Should -Match '^[0-9a-f-]{36}$'
            $identity.Id | Should -BeLike "/subscriptions/$sub/resourceGroups/aib-images/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity"
        }

        It 'creates the image creation role with the sample file''s actions in order' {
            $sample = Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../data/aib-samples/aibRoleImageCreation.json') -Raw | ConvertFrom-Json
            $expected = @($sample.Actions | Where-Object { $_.Trim() })
            $imageRole.Action | Should -Be 'Created'
            $imageRole.IsCustom | Should -BeTrue
            $imageRole.Actions | Should -Be $expected
            $imageRole.AssignableScopes | Should -Be @("/subscriptions/$sub/resourceGroups/aib-images")
        }

        It 'creates the networking role at the network resource group' {
            $networkRole.Action | Should -Be 'Created'
            $sample = Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../data/aib-samples/aibRoleNetworking.json') -Raw | ConvertFrom-Json
            $networkRole.Actions | Should -Be @($sample.Actions | Where-Object { $_.Trim() })
            $networkRole.AssignableScopes | Should -Be @("/subscriptions/$sub/resourceGroups/aib-network")
        }

        It 'assigns both roles to the identity''s principal' {
            $imageAssignment.PSObject.TypeNames | Should -Contain 'AibPermissions.RoleAssignment'
            $imageAssignment.ObjectId | Should -Be $identity.PrincipalId
            $imageAssignment.RoleDefinitionId | Should -Be $imageRole.Id
            $imageAssignment.Scope | Should -Be "/subscriptions/$sub/resourceGroups/aib-images"
            $networkAssignment.ObjectId | Should -Be $identity.PrincipalId
            $networkAssignment.RoleDefinitionId | Should -Be $networkRole.Id
            $networkAssignment.Scope | Should -Be "/subscriptions/$sub/resourceGroups/aib-network"
        }

        It 'leaves exactly one identity, two custom roles and two assignments in the emulator' {
            $state = Get-EmulatorState -Emulator $emulator
            @($state.userAssignedIdentities).Count | Should -Be 1
            @($state.roleDefinitions).Count | Should -Be 2
            @($state.roleAssignments).Count | Should -Be 2
        }
    }

    Context 'when run again' {
        It 'reports the roles Unchanged, warns about the assignments and creates nothing' {
            $again = New-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $sub -ResourceGroupName 'aib-images'
            $again.Action | Should -Be 'Unchanged'
            $again.Id | Should -Be $imageRole.Id

            $null = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images' -SubscriptionId $sub
            $assignment = $identity | New-AibRoleAssignment -RoleDefinitionId $imageRole.Id -ResourceGroupName 'aib-images' -SubscriptionId $sub -ObjectType ServicePrincipal -WarningVariable warnings -WarningAction SilentlyContinue
            $assignment.RoleAssignmentId | Should -Be $imageAssignment.RoleAssignmentId
            @($warnings | Where-Object { "$_" -like '*already existed*' }).Count | Should -Be 1

            $state = Get-EmulatorState -Emulator $emulator
            @($state.userAssignedIdentities).Count | Should -Be 1
            @($state.roleDefinitions).Count | Should -Be 2
            @($state.roleAssignments).Count | Should -Be 2
        }
    }

    Context 'when a role is exported' {
        It 'writes the same actions as the documented sample, in order' {
            $path = Join-Path -Path $TestDrive -ChildPath 'aibRoleImageCreation.json'
            $null = Export-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $sub -ResourceGroupName 'aib-images' -Path $path
            $written = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json
            $written.Actions | Should -Be $imageRole.Actions
            $written.AssignableScopes | Should -Be @("/subscriptions/$sub/resourceGroups/aib-images")
            [System.IO.File]::ReadAllBytes($path)[0] | Should -Be ([byte][char]'{')
        }

        It 'creates the same role from the exported file' {
            $path = Join-Path -Path $TestDrive -ChildPath 'networking.json'
            $null = Export-AibRoleDefinition -Scenario Networking -SubscriptionId $sub -ResourceGroupName 'aib-network' -Path $path -Format Permissions
            $fromFile = New-AibRoleDefinition -InputFile $path
            $fromFile.Id | Should -Be $networkRole.Id
            $fromFile.Action | Should -Be 'Unchanged'
        }
    }
}
