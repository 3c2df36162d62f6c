Describe 'Remove-AibUserAssignedIdentity' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'identity.delete' } -MockWith {
            [pscustomobject]@{ id = "/subscriptions/$($Request.subscriptionId)/resourceGroups/$($Request.resourceGroupName)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$($Request.name)"; outcome = 'Deleted' }
        }
        Set-TestContext -SubscriptionId $SubscriptionId
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when -WhatIf is given' {
        It 'makes no native call' {
            Remove-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when -Force is given' {
        It 'deletes by name in the context subscription and writes nothing without -PassThru' {
            $result = Remove-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -Force
            $result | Should -BeNullOrEmpty
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.delete' -and $Request.name -eq 'aibIdentity' -and $Request.resourceGroupName -eq 'rg' -and $Request.subscriptionId -eq $SubscriptionId
            }
        }

        It 'writes $true with -PassThru' {
            Remove-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -Force -PassThru | Should -BeTrue
        }
    }

    Context 'when an identity object is piped in' {
        It 'deletes it by its own subscription, group and name' {
            $other = '00000000-0000-0000-0000-0000000000cc'
            $identity = [pscustomobject]@{ PSTypeName = 'AibPermissions.UserAssignedIdentity'; Name = 'idX'; ResourceGroupName = 'rgX'; SubscriptionId = $other }
            $identity | Remove-AibUserAssignedIdentity -Confirm:$false
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Request.name -eq 'idX' -and $Request.resourceGroupName -eq 'rgX' -and $Request.subscriptionId -eq $other
            }
        }
    }

    Context 'when the identity was already gone' {
        It 'warns instead of failing' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'identity.delete' } -MockWith {
                [pscustomobject]@{ id = 'x'; outcome = 'NotFound' }
            }
            Remove-AibUserAssignedIdentity -Name 'gone' -ResourceGroupName 'rg' -Force -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings).Count | Should -Be 1
        }
    }

    Context 'when ARM refuses' {
        It 'writes an error with the ARM code and the identity id as target' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'identity.delete' } -MockWith {
                throw (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 403 -ArmCode 'AuthorizationFailed')
            }
            $thrown = { Remove-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -Force } | Should -Throw -ErrorId 'AuthorizationFailed,Remove-AibUserAssignedIdentity' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $thrown.TargetObject | Should -BeLike '*/userAssignedIdentities/aibIdentity'
        }
    }

    Context 'parameter contract' {
        It 'is ConfirmImpact High' {
            $attribute = (Get-Command -Name Remove-AibUserAssignedIdentity).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
            $attribute.ConfirmImpact | Should -Be 'High'
        }
    }
}
