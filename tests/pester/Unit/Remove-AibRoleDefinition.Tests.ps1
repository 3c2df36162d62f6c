Describe 'Remove-AibRoleDefinition' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $roleGuid = 'aaaaaaaa-0000-0000-0000-000000000001'
        $rgScope = "/subscriptions/$SubscriptionId/resourceGroups/rg"
        $roleJson = [pscustomobject]@{
            id = "/subscriptions/$SubscriptionId/providers/Microsoft.Authorization/roleDefinitions/$roleGuid"; name = $roleGuid
            roleName = 'Image role'; roleType = 'CustomRole'; assignableScopes = @($rgScope); outcome = 'Found'
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith { $roleJson }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.list' } -MockWith { [pscustomobject]@{ value = @($roleJson) } }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.list' } -MockWith {
            # One assignment of another role: not a reason to refuse.
            [pscustomobject]@{ value = @([pscustomobject]@{ id = "$rgScope/providers/Microsoft.Authorization/roleAssignments/cccccccc-0000-0000-0000-000000000001"; scope = $rgScope; roleDefinitionId = '/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7' }) }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.delete' } -MockWith {
            [pscustomobject]@{ id = $roleJson.id; outcome = 'Deleted' }
        }
        Set-TestContext -SubscriptionId $SubscriptionId
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when no assignment uses the role' {
        It 'checks assignments at its assignable scopes, then deletes it' {
            Remove-AibRoleDefinition -Id $roleGuid -Force
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.list' -and $Request.scope -eq $rgScope }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleDefinition.delete' -and $Request.name -eq $roleGuid -and $Request.scope -eq $rgScope
            }
        }

        It 'writes the deleted role with -PassThru' {
            $removed = Remove-AibRoleDefinition -Name 'IMAGE role' -Force -PassThru
            $removed.Id | Should -Be $roleGuid
            $removed.PSObject.TypeNames | Should -Contain 'AibPermissions.RoleDefinition'
        }

        It 'deletes a role object piped in' {
            [pscustomobject]@{ PSTypeName = 'AibPermissions.RoleDefinition'; Id = $roleGuid; Name = 'Image role'; ResourceId = $roleJson.id } | Remove-AibRoleDefinition -Confirm:$false
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.delete' }
        }
    }

    Context 'when -WhatIf is given' {
        It 'deletes nothing' {
            Remove-AibRoleDefinition -Id $roleGuid -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.delete' }
        }
    }

    Context 'when assignments use the role' {
        It 'refuses with ResourceExists naming each assignment, even with -Force' {
            $assignmentId = "$rgScope/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001"
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.list' } -MockWith {
                [pscustomobject]@{ value = @([pscustomobject]@{ id = $assignmentId; scope = $rgScope; roleDefinitionId = $roleJson.id }) }
            }
            $thrown = { Remove-AibRoleDefinition -Id $roleGuid -Force } | Should -Throw -ErrorId 'RoleDefinitionHasAssignments,Remove-AibRoleDefinition' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ResourceExists'
            $thrown.Exception.Message | Should -BeLike "*$assignmentId*"
            @($thrown.TargetObject) | Should -Be @($assignmentId)
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.delete' }
        }
    }

    Context 'when the role is built in' {
        It 'refuses without deleting' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.get' } -MockWith {
                [pscustomobject]@{ id = 'x'; name = $roleGuid; roleName = 'Reader'; roleType = 'BuiltInRole'; assignableScopes = @('/') }
            }
            { Remove-AibRoleDefinition -Id $roleGuid -Force } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Id,Remove-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleDefinition.delete' }
        }
    }

    Context 'when no role has the name' {
        It 'fails with ObjectNotFound' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.list' } -MockWith { [pscustomobject]@{ value = @() } }
            $thrown = { Remove-AibRoleDefinition -Name 'Nothing' -Force } | Should -Throw -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'parameter contract' {
        It 'is ConfirmImpact High with Id as the default set' {
            $command = Get-Command -Name Remove-AibRoleDefinition
            $command.DefaultParameterSet | Should -Be 'Id'
            $attribute = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
            $attribute.ConfirmImpact | Should -Be 'High'
        }
    }
}
