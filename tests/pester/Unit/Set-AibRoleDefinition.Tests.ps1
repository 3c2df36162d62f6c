Describe 'Set-AibRoleDefinition' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $roleGuid = 'aaaaaaaa-0000-0000-0000-000000000001'
        $oldScope = "/subscriptions/$SubscriptionId/resourceGroups/old"
        $newScope = "/subscriptions/$SubscriptionId/resourceGroups/new"
        $role = [pscustomobject]@{
            Name = 'Moving role'; Id = $roleGuid; Description = 'd'
            Actions = @('Microsoft.Compute/images/read'); AssignableScopes = @($newScope)
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_file_parse' } -MockWith {
            $file = [System.Text.Encoding]::UTF8.GetString($RequestBytes) | ConvertFrom-Json
            $parsedRole = [ordered]@{ roleName = $file.Name; description = $file.Description; roleType = 'CustomRole'; actions = @($file.Actions); assignableScopes = @($file.AssignableScopes) }
            if ($file.PSObject.Properties['Id']) { $parsedRole.name = $file.Id }
            [pscustomobject]@{ format = 'Flat'; role = [pscustomobject]$parsedRole }
        }
        # The role lives at the old group only: the new group does not hold it.
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith {
            if ($Request.scope -eq $newScope) {
                throw (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 404 -ArmCode 'RoleDefinitionDoesNotExist')
            }
            [pscustomobject]@{ id = "$($Request.scope)/providers/Microsoft.Authorization/roleDefinitions/$roleGuid"; name = $roleGuid; roleName = 'Moving role'; roleType = 'CustomRole'; assignableScopes = @($oldScope); outcome = 'Found' }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.ensure' } -MockWith {
            [pscustomobject]@{ id = "/subscriptions/$SubscriptionId/providers/Microsoft.Authorization/roleDefinitions/$roleGuid"; name = $Request.role.name; roleName = $Request.role.roleName; roleType = 'CustomRole'; assignableScopes = $Request.role.assignableScopes; outcome = 'Created' }
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when the assignable scopes move away from where the role lives' {
        It 'finds the role outside the new scopes and updates it under the same GUID' {
            $updated = $role | Set-AibRoleDefinition
            $updated.Id | Should -Be $roleGuid
            $updated.Action | Should -Be 'Updated'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.get' -and $Request.scope -eq "/subscriptions/$SubscriptionId"
            }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.ensure' -and $Request.role.name -eq $roleGuid -and @($Request.role.assignableScopes) -contains $newScope
            }
        }
    }

    Context 'when -WhatIf is given' {
        It 'looks the role up but writes nothing' {
            $role | Set-AibRoleDefinition -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.ensure' }
        }
    }

    Context 'when the role has no Id' {
        It 'fails with InvalidArgument naming Id and reads nothing from ARM' {
            $noId = [pscustomobject]@{ Name = 'x'; Description = 'd'; Actions = @('a/b/read'); AssignableScopes = @($newScope) }
            { $noId | Set-AibRoleDefinition } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Id,Set-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -like 'roleDefinition.*' }
        }
    }

    Context 'when no scope holds the role' {
        It 'fails with ObjectNotFound and writes nothing' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith {
                throw (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 404 -ArmCode 'RoleDefinitionDoesNotExist')
            }
            $thrown = { $role | Set-AibRoleDefinition } | Should -Throw -ErrorId 'RoleDefinitionDoesNotExist,Set-AibRoleDefinition' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.ensure' }
        }
    }

    Context 'when -InputFile does not exist' {
        It 'fails with InvalidArgument naming InputFile' {
            { Set-AibRoleDefinition -InputFile (Join-Path -Path $TestDrive -ChildPath 'missing.json') } | Should -Throw -ErrorId 'INVALID_ARGUMENT.InputFile,Set-AibRoleDefinition'
        }
    }
}
