Describe 'Bad input through the library' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        New-TestResourceGroup -SubscriptionId $sub -Name 'aib-images'
        $principal = (New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images' -SubscriptionId $sub).PrincipalId
        $before = Get-EmulatorState -Emulator $emulator
    }

    AfterAll {
        Stop-AibEmulator
    }

    AfterEach {
        # Nothing may have been created by a rejected request.
        $after = Get-EmulatorState -Emulator $emulator
        @($after.userAssignedIdentities).Count | Should -Be @($before.userAssignedIdentities).Count
        @($after.roleDefinitions).Count | Should -Be @($before.roleDefinitions).Count
        @($after.roleAssignments).Count | Should -Be @($before.roleAssignments).Count
    }

    Context 'when the role file is malformed JSON' {
        It 'fails with InvalidArgument' {
            $path = Join-Path -Path $TestDrive -ChildPath 'broken.json'
            Set-Content -LiteralPath $path -Value '{ "Name": "x", "Actions": [ '
            $err = $null
            try { New-AibRoleDefinition -InputFile $path } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -BeLike 'INVALID_JSON*,New-AibRoleDefinition'
        }
    }

    Context 'when an action has a typo''d provider' {
        It 'fails with InvalidArgument naming the actions field' {
            $path = Join-Path -Path $TestDrive -ChildPath 'typo.json'
            $role = [ordered]@{
                Name             = 'Typo role'
                IsCustom         = $true
                Description      = 'typo'
                Actions          = @('Microsoft.Insight/diagnosticSettings/read')
                NotActions       = @()
                AssignableScopes = @("/subscriptions/$sub/resourceGroups/aib-images")
            }
            Set-Content -LiteralPath $path -Value ($role | ConvertTo-Json)
            $err = $null
            try { New-AibRoleDefinition -InputFile $path } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -BeLike 'INVALID_ARGUMENT.*ctions*,New-AibRoleDefinition'
        }
    }

    Context 'when the role file has an empty name' {
        It 'fails with InvalidArgument naming the name field' {
            $path = Join-Path -Path $TestDrive -ChildPath 'noname.json'
            $role = [ordered]@{
                Name             = ''
                IsCustom         = $true
                Description      = 'empty'
                Actions          = @('Microsoft.Compute/images/read')
                AssignableScopes = @("/subscriptions/$sub/resourceGroups/aib-images")
            }
            Set-Content -LiteralPath $path -Value ($role | ConvertTo-Json)
            $err = $null
            try { New-AibRoleDefinition -InputFile $path } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Match '^INVALID_ARGUMENT\.(Name|roleName|role\.roleName),New-AibRoleDefinition$'
        }
    }

    Context 'when the scenario is unknown' {
        It 'fails with InvalidArgument naming Scenario' {
            { New-AibRoleDefinition -Scenario 'ImageCreaton' -SubscriptionId $sub -ResourceGroupName 'aib-images' } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.Scenario,New-AibRoleDefinition'
        }
    }

    Context 'when the role name is empty' {
        It 'fails with InvalidArgument naming RoleName' {
            { New-AibRoleDefinition -Scenario 'Networking' -SubscriptionId $sub -ResourceGroupName 'aib-images' -RoleName '' } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.RoleName,New-AibRoleDefinition'
        }
    }

    Context 'when the scope is invalid' {
        It 'fails with InvalidArgument naming scope' {
            $err = $null
            try { New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -Scope "/subscriptions/$sub/resourceGroups" } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.scope,New-AibRoleAssignment'
        }
    }

    Context 'when the role definition id is not a GUID' {
        It 'fails with InvalidArgument naming RoleDefinitionId' {
            { New-AibRoleAssignment -ObjectId $principal -RoleDefinitionId 'acdd72a7-3385-48ef-bd42' -ResourceGroupName 'aib-images' -SubscriptionId $sub } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.RoleDefinitionId,New-AibRoleAssignment'
        }
    }

    Context 'when the identity name breaks the rule' {
        It 'fails with InvalidArgument naming Name' {
            { New-AibUserAssignedIdentity -Name '_bad' -ResourceGroupName 'aib-images' -SubscriptionId $sub } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.Name,New-AibUserAssignedIdentity'
        }
    }
}
