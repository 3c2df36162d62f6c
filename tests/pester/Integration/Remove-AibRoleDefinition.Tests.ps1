Describe 'Remove-AibRoleDefinition against the emulator' -Tag 'Integration' {
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

    Context 'when a custom role is removed' {
        It 'refuses while an assignment uses it, naming the assignment, then deletes it once unassigned' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = 'Assigned role'; Description = 'x'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $assignment = $identity | New-AibRoleAssignment -RoleDefinitionId $role.ResourceId -ResourceGroupName 'rg'
            $thrown = { Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg" | Remove-AibRoleDefinition -Force } | Should -Throw -ErrorId 'RoleDefinitionHasAssignments,Remove-AibRoleDefinition' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ResourceExists'
            $thrown.Exception.Message | Should -BeLike "*$($assignment.RoleAssignmentId)*"
            @((Get-EmulatorState -Emulator $emulator).roleDefinitions | Where-Object { $_.properties.roleName -eq 'Assigned role' }).Count | Should -Be 1

            $assignment | Remove-AibRoleAssignment -Force
            $removed = Remove-AibRoleDefinition -Name 'assigned ROLE' -Scope "$rg/rg" -Force -PassThru
            $removed.Id | Should -Be $role.Id
            @((Get-EmulatorState -Emulator $emulator).roleDefinitions | Where-Object { $_.properties.roleName -eq 'Assigned role' }).Count | Should -Be 0
        }

        It 'leaves the role in place with -WhatIf' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = 'Kept role'; Description = 'x'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            Remove-AibRoleDefinition -Id $role.Id -Scope "$rg/rg" -WhatIf
            (Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg").Name | Should -Be 'Kept role'
        }

        It 'refuses a built-in role' {
            { Remove-AibRoleDefinition -Id $readerGuid -Force } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Id,Remove-AibRoleDefinition'
        }
    }
}
