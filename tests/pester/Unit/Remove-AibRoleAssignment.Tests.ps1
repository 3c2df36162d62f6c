Describe 'Remove-AibRoleAssignment' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $readerGuid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
        $subScope = "/subscriptions/$SubscriptionId"
        $rgScope = "$subScope/resourceGroups/rg"
        $rgName = 'bbbbbbbb-0000-0000-0000-000000000002'
        function New-TestAssignmentJson {
            param ($Scope, $Name)
            [pscustomobject]@{
                id = "$Scope/providers/Microsoft.Authorization/roleAssignments/$Name"; name = $Name; scope = $Scope
                roleDefinitionId = "$subScope/providers/Microsoft.Authorization/roleDefinitions/$readerGuid"
                principalId = $PrincipalId; principalType = 'ServicePrincipal'; outcome = 'Found'
            }
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'scope_parse' } -MockWith {
            [pscustomobject]@{ scope = ([string]$Request.scope).TrimEnd('/') -replace '/resourcegroups/', '/resourceGroups/' }
        }
        # The same role for the same principal at the subscription (inherited) and at the group.
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.list' } -MockWith {
            [pscustomobject]@{ value = @(
                    (New-TestAssignmentJson -Scope $subScope -Name 'bbbbbbbb-0000-0000-0000-000000000001'),
                    (New-TestAssignmentJson -Scope $rgScope -Name $rgName)
                ) }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleDefinition.list' } -MockWith {
            [pscustomobject]@{ value = @([pscustomobject]@{ name = $readerGuid; roleName = 'Reader' }) }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'roleAssignment.delete' } -MockWith {
            [pscustomobject]@{ id = "$($Request.scope)/providers/Microsoft.Authorization/roleAssignments/$($Request.name)"; outcome = 'Deleted' }
        }
        Set-TestContext -SubscriptionId $SubscriptionId
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when principal, role name and scope are given' {
        It 'removes only the assignment at exactly that scope, ignoring case and a trailing /' {
            Remove-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'reader' -Scope "$subScope/resourcegroups/RG/" -Force
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.delete' }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.delete' -and $Request.name -eq $rgName -and $Request.scope -eq $rgScope
            }
        }

        It 'writes the removed assignment with -PassThru' {
            $removed = Remove-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionId $readerGuid -ResourceGroupName 'rg' -Force -PassThru
            $removed.RoleAssignmentId | Should -Be "$rgScope/providers/Microsoft.Authorization/roleAssignments/$rgName"
            $removed.PSObject.TypeNames | Should -Contain 'AibPermissions.RoleAssignment'
        }
    }

    Context 'when nothing is at exactly that scope' {
        It 'fails with ObjectNotFound and removes nothing' {
            $thrown = { Remove-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader' -ResourceGroupName 'rg01' -Force } |
                Should -Throw -ErrorId 'RoleAssignmentNotFound,Remove-AibRoleAssignment' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.Exception.Message | Should -BeLike '*does not map to a role assignment*'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.delete' }
        }
    }

    Context 'when an assignment object is piped in' {
        It 'removes it by its id and scope without a lookup' {
            $assignment = [pscustomobject]@{
                PSTypeName       = 'AibPermissions.RoleAssignment'
                RoleAssignmentId = "$rgScope/providers/Microsoft.Authorization/roleAssignments/$rgName"
                Scope            = $rgScope
                ObjectId         = $PrincipalId
                RoleDefinitionId = $readerGuid
            }
            $assignment | Remove-AibRoleAssignment -Confirm:$false
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.list' }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'roleAssignment.delete' -and $Request.name -eq $rgName -and $Request.scope -eq $rgScope
            }
        }
    }

    Context 'when -WhatIf is given' {
        It 'removes nothing' {
            Remove-AibRoleAssignment -ObjectId $PrincipalId -RoleDefinitionName 'Reader' -ResourceGroupName 'rg' -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'roleAssignment.delete' }
        }
    }

    Context 'when the input is wrong' {
        It 'rejects an object id that is no GUID and calls nothing' {
            { Remove-AibRoleAssignment -ObjectId 'abc' -RoleDefinitionName 'Reader' -Force } | Should -Throw -ErrorId 'INVALID_ARGUMENT.ObjectId,Remove-AibRoleAssignment'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'parameter contract' {
        It 'is ConfirmImpact High and takes InputObject by value' {
            $command = Get-Command -Name Remove-AibRoleAssignment
            $attribute = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
            $attribute.ConfirmImpact | Should -Be 'High'
            $command.Parameters['InputObject'].ParameterSets['InputObject'].ValueFromPipeline | Should -BeTrue
        }
    }
}
