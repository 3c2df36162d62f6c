Describe 'Role definition and role assignment commands against the emulator' -Tag 'Integration' {
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

    Context 'when reading role definitions' {
        It 'finds a built-in role by name whatever the letter case' {
            $role = Get-AibRoleDefinition -Name 'reader'
            $role.Id | Should -Be $readerGuid
            $role.IsCustom | Should -BeFalse
        }

        It 'finds a role by GUID and by full id' {
            (Get-AibRoleDefinition -Id $readerGuid).Name | Should -Be 'Reader'
            (Get-AibRoleDefinition -Id "/subscriptions/$sub/providers/Microsoft.Authorization/roleDefinitions/$readerGuid").Name | Should -Be 'Reader'
        }

        It 'lists only custom roles with -Custom' {
            $null = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = "O'Brien and images"; Description = 'test'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $custom = @(Get-AibRoleDefinition -Custom -Scope "$rg/rg")
            $custom.Name | Should -Contain "O'Brien and images"
            $custom | ForEach-Object { $_.IsCustom | Should -BeTrue }
            (Get-AibRoleDefinition -Name "o'brien AND images" -Scope "$rg/rg").Actions | Should -Be @('Microsoft.Compute/images/read')
        }

        It 'warns and returns nothing for a name no role has' {
            $warnings = $null
            $result = @(Get-AibRoleDefinition -Name 'No such role' -WarningVariable warnings -WarningAction SilentlyContinue)
            $result.Count | Should -Be 0
            $warnings.Count | Should -Be 1
        }
    }

    Context 'when a role is updated with Set-AibRoleDefinition' {
        It 'updates what Get pipes in' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = 'Set by pipe'; Description = 'v1'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $fetched = Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg"
            $fetched.Description = 'v2'
            $fetched.Actions = @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
            $updated = $fetched | Set-AibRoleDefinition
            $updated.Action | Should -Be 'Updated'
            $updated.Id | Should -Be $role.Id
            $again = Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg"
            $again.Description | Should -Be 'v2'
            $again.Actions | Should -Be @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
        }

        It 'finds the role at its old scope when AssignableScopes move to another group' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name = 'Moving role'; Description = 'moves'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg")
            })
            $file = Join-Path -Path $TestDrive -ChildPath 'moving.json'
            $content = [ordered]@{
                Name = 'Moving role'; Id = $role.Id; IsCustom = $true; Description = 'moved'
                Actions = @('Microsoft.Compute/images/read'); NotActions = @(); AssignableScopes = @("$rg/rg2")
            }
            Set-Content -LiteralPath $file -Value ($content | ConvertTo-Json)
            $updated = Set-AibRoleDefinition -InputFile $file
            $updated.Id | Should -Be $role.Id
            $updated.AssignableScopes | Should -Be @("$rg/rg2")
            $state = Get-EmulatorState -Emulator $emulator
            @($state.roleDefinitions | Where-Object { $_.properties.roleName -eq 'Moving role' }).Count | Should -Be 1
            (Get-AibRoleDefinition -Id $role.Id -Scope "$rg/rg2").Description | Should -Be 'moved'
        }

        It 'refuses a role without an Id' {
            $role = [pscustomobject]@{ Name = 'No id'; Description = 'x'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg") }
            { Set-AibRoleDefinition -Role $role } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Id,Set-AibRoleDefinition'
        }

        It 'reports ObjectNotFound for an Id no role has' {
            $role = [pscustomobject]@{ Name = 'Ghost'; Id = [guid]::NewGuid().ToString(); Description = 'x'; Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @("$rg/rg") }
            $thrown = { Set-AibRoleDefinition -Role $role } | Should -Throw -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            @((Get-EmulatorState -Emulator $emulator).roleDefinitions | Where-Object { $_.properties.roleName -eq 'Ghost' }).Count | Should -Be 0
        }
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

    Context 'when removing assignments' {
        BeforeAll {
            $principal = [guid]::NewGuid().ToString()
        }

        It 'removes what Get pipes in and returns it with -PassThru' {
            $created = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg2' -ObjectType ServicePrincipal
            $removed = Get-AibRoleAssignment -ObjectId $principal -ResourceGroupName 'rg2' | Remove-AibRoleAssignment -Force -PassThru
            $removed.RoleAssignmentId | Should -Be $created.RoleAssignmentId
            @(Get-AibRoleAssignment -ObjectId $principal -ResourceGroupName 'rg2').Count | Should -Be 0
        }

        It 'removes by principal, role and scope only at exactly that scope' {
            $atRg = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg' -ObjectType ServicePrincipal
            $atRg01 = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg01' -ObjectType ServicePrincipal
            Remove-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'READER' -Scope "$rg/RG/" -Force
            $left = @(Get-AibRoleAssignment -ObjectId $principal).RoleAssignmentId
            $left | Should -Not -Contain $atRg.RoleAssignmentId
            $left | Should -Contain $atRg01.RoleAssignmentId
        }

        It 'fails with ObjectNotFound when nothing matches, leaving assignments below alone' {
            $thrown = { Remove-AibRoleAssignment -ObjectId $principal -RoleDefinitionId $readerGuid -Force } | Should -Throw -ErrorId 'RoleAssignmentNotFound,Remove-AibRoleAssignment' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.Exception.Message | Should -BeLike '*does not map to a role assignment*'
            @(Get-AibRoleAssignment -ObjectId $principal).Count | Should -Be 1
        }
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
