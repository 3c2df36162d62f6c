Describe 'Get-AibUserAssignedIdentity' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $otherSubscription = '00000000-0000-0000-0000-0000000000bb'
        function New-TestIdentityJson {
            param ($Sub, $Rg, $Name)
            [pscustomobject]@{
                id = "/subscriptions/$Sub/resourceGroups/$Rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$Name"
                name = $Name; location = 'westus2'; resourceGroupName = $Rg; subscriptionId = $Sub
                type = 'Microsoft.ManagedIdentity/userAssignedIdentities'; tags = @{}
                tenantId = 't'; principalId = '11111111-2222-3333-4444-555555555555'; clientId = 'c'; outcome = 'Found'
            }
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'identity.list' } -MockWith {
            $rg = 'rg'
            if ($Request.Contains('resourceGroupName')) { $rg = $Request.resourceGroupName }
            [pscustomobject]@{ value = @((New-TestIdentityJson -Sub $Request.subscriptionId -Rg $rg -Name 'idA'), (New-TestIdentityJson -Sub $Request.subscriptionId -Rg $rg -Name 'idB')) }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'identity.get' } -MockWith {
            New-TestIdentityJson -Sub $Request.subscriptionId -Rg $Request.resourceGroupName -Name $Request.name
        }
        Set-TestContext -SubscriptionId $SubscriptionId
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when called without parameters' {
        It 'lists the context subscription and writes each identity' {
            $result = @(Get-AibUserAssignedIdentity)
            $result.Name | Should -Be @('idA', 'idB')
            $result[0].PSObject.TypeNames | Should -Contain 'AibPermissions.UserAssignedIdentity'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.list' -and $Request.subscriptionId -eq $SubscriptionId -and -not $Request.Contains('resourceGroupName')
            }
        }
    }

    Context 'when -SubscriptionId is given' {
        It 'reads that subscription and not the context''s' {
            $null = Get-AibUserAssignedIdentity -SubscriptionId $otherSubscription
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Request.subscriptionId -eq $otherSubscription }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Request.subscriptionId -eq $SubscriptionId }
        }

        It 'reports a subscription ARM does not know instead of falling back' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'identity.list' } -MockWith {
                throw (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 404 -ArmCode 'SubscriptionNotFound')
            }
            { Get-AibUserAssignedIdentity -SubscriptionId $otherSubscription } | Should -Throw -ErrorId 'SubscriptionNotFound,Get-AibUserAssignedIdentity'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly
        }
    }

    Context 'when -ResourceGroupName is given' {
        It 'lists that group' {
            $null = Get-AibUserAssignedIdentity -ResourceGroupName 'aib-images'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.list' -and $Request.resourceGroupName -eq 'aib-images'
            }
        }

        It 'gets one identity with -Name' {
            $one = Get-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images'
            $one.Name | Should -Be 'aibIdentity'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.get' -and $Request.name -eq 'aibIdentity' -and $Request.resourceGroupName -eq 'aib-images'
            }
        }
    }

    Context 'when an identity object is piped in' {
        It 'reads it again by its own subscription, group and name' {
            $identity = [pscustomobject]@{ PSTypeName = 'AibPermissions.UserAssignedIdentity'; Name = 'idX'; ResourceGroupName = 'rgX'; SubscriptionId = $otherSubscription }
            $null = $identity | Get-AibUserAssignedIdentity
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.get' -and $Request.name -eq 'idX' -and $Request.resourceGroupName -eq 'rgX' -and $Request.subscriptionId -eq $otherSubscription
            }
        }
    }

    Context 'when an identity object without SubscriptionId is piped in' {
        It 'takes the subscription and group from its Id' {
            $identity = [pscustomobject]@{
                PSTypeName = 'AibPermissions.UserAssignedIdentity'
                Id         = "/subscriptions/$otherSubscription/resourceGroups/rgY/providers/Microsoft.ManagedIdentity/userAssignedIdentities/idY"
                Name       = 'idY'
            }
            $null = $identity | Get-AibUserAssignedIdentity
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.get' -and $Request.name -eq 'idY' -and $Request.resourceGroupName -eq 'rgY' -and $Request.subscriptionId -eq $otherSubscription
            }
        }
    }

    Context 'when no subscription is known' {
        It 'fails with InvalidArgument naming SubscriptionId and calls nothing' {
            Reset-TestSession
            { Get-AibUserAssignedIdentity } | Should -Throw -ErrorId 'INVALID_ARGUMENT.SubscriptionId,Get-AibUserAssignedIdentity'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'parameter sets' {
        It 'has List as the default set and InputObject by value' {
            $command = Get-Command -Name Get-AibUserAssignedIdentity
            $command.DefaultParameterSet | Should -Be 'List'
            $command.Parameters['InputObject'].ParameterSets['InputObject'].ValueFromPipeline | Should -BeTrue
        }
    }
}
