Describe 'Get-AibRoleAssignment against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'rg', 'rg01', 'rg2') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $rg = "/subscriptions/$sub/resourceGroups"
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg'
        $readerGuid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when an identity object is piped into the assignment commands' {
        It 'binds its PrincipalId in New-AibRoleAssignment and Get-AibRoleAssignment' {
            $created = $identity | New-AibRoleAssignment -RoleDefinitionName 'Reader' -ResourceGroupName 'rg'
            $created.ObjectId | Should -Be $identity.PrincipalId
            $created.ObjectType | Should -Be 'ServicePrincipal'
            $found = @($identity | Get-AibRoleAssignment)
            $found.Count | Should -Be 1
            $found[0].RoleAssignmentId | Should -Be $created.RoleAssignmentId
            $found[0].RoleDefinitionName | Should -Be 'Reader'
        }
    }

    Context 'when listing assignments at a scope' {
        BeforeAll {
            $principal = [guid]::NewGuid().ToString()
            $atSub = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ObjectType ServicePrincipal
            $atRg = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Contributor' -ResourceGroupName 'rg' -ObjectType ServicePrincipal
            $atRg01 = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg01' -ObjectType ServicePrincipal
        }

        It 'returns the assignments at the group and inherited from above, never those of a group whose name extends it' {
            $ids = @(Get-AibRoleAssignment -ObjectId $principal -ResourceGroupName 'rg').RoleAssignmentId
            $ids | Should -Contain $atSub.RoleAssignmentId
            $ids | Should -Contain $atRg.RoleAssignmentId
            $ids | Should -Not -Contain $atRg01.RoleAssignmentId
        }

        It 'filters by role name case-insensitively and by role id' {
            @(Get-AibRoleAssignment -ObjectId $principal -ResourceGroupName 'rg' -RoleDefinitionName 'contributor').RoleAssignmentId | Should -Be @($atRg.RoleAssignmentId)
            @(Get-AibRoleAssignment -ObjectId $principal -Scope "$rg/rg01/" -RoleDefinitionId $readerGuid).RoleAssignmentId | Sort-Object | Should -Be (@($atSub.RoleAssignmentId, $atRg01.RoleAssignmentId) | Sort-Object)
        }

        It 'lists the whole subscription without a scope' {
            @(Get-AibRoleAssignment -ObjectId $principal).Count | Should -Be 3
        }
    }
}
