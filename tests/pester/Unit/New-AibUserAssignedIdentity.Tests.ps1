Describe 'New-AibUserAssignedIdentity' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith {
            [pscustomobject]@{
                id                = "/subscriptions/$($Request.subscriptionId)/resourceGroups/$($Request.resourceGroupName)/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$($Request.name)"
                name              = $Request.name
                location          = 'westus2'
                resourceGroupName = $Request.resourceGroupName
                subscriptionId    = $Request.subscriptionId
                type              = 'Microsoft.ManagedIdentity/userAssignedIdentities'
                tags              = [pscustomobject]@{ owner = 'imaging' }
                tenantId          = '22222222-0000-0000-0000-000000000000'
                principalId       = '33333333-0000-0000-0000-000000000000'
                clientId          = '44444444-0000-0000-0000-000000000000'
                outcome           = 'Created'
            }
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when called with a valid name' {
        It 'sends identity.createOrUpdate with the request fields' {
            $null = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId -Location 'westeurope' -Tag @{ owner = 'imaging' }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'identity.createOrUpdate' -and $Request.name -eq 'aibIdentity' -and
                $Request.resourceGroupName -eq 'rg' -and $Request.subscriptionId -eq $SubscriptionId -and
                $Request.location -eq 'westeurope' -and $Request.tags.owner -eq 'imaging'
            }
        }

        It 'leaves location out so the resource group location applies' {
            $null = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { -not $Request.Contains('location') }
        }

        It 'returns the Az-shaped identity' {
            $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId
            $identity.PSObject.TypeNames | Should -Contain 'AibPermissions.UserAssignedIdentity'
            foreach ($name in 'Id', 'Name', 'Location', 'ResourceGroupName', 'Type', 'Tag', 'TenantId', 'PrincipalId', 'ClientId', 'SubscriptionId') {
                $identity.PSObject.Properties.Name | Should -Contain $name
            }
            $identity.PrincipalId | Should -Be '33333333-0000-0000-0000-000000000000'
            $identity.Tag | Should -BeOfType [hashtable]
            $identity.Tag.owner | Should -Be 'imaging'
        }

        It 'accepts a 128-character name' {
            $name = 'a' * 128
            $null = New-AibUserAssignedIdentity -Name $name -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly
        }

        It 'uses the subscription of the connected context' {
            Set-TestContext -SubscriptionId $SubscriptionId
            $null = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Request.subscriptionId -eq $SubscriptionId }
        }
    }

    Context 'when -WhatIf is given' {
        It 'makes no native call' {
            New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }

        It 'still rejects a bad name' {
            { New-AibUserAssignedIdentity -Name 'x' -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId -WhatIf } | Should -Throw -ErrorId 'INVALID_ARGUMENT.Name,New-AibUserAssignedIdentity'
        }
    }

    Context 'when the name breaks the rule (<Case>)' -ForEach @(
        @{ Case = 'two characters'; Name = 'ab' }
        @{ Case = '129 characters'; Name = ('a' * 129) }
        @{ Case = 'starts with a hyphen'; Name = '-abc' }
        @{ Case = 'contains a dot'; Name = 'ab.c' }
        @{ Case = 'empty'; Name = '' }
    ) {
        It 'fails with InvalidArgument naming Name and calls nothing' {
            $err = $null
            try { New-AibUserAssignedIdentity -Name $Name -ResourceGroupName 'rg' -SubscriptionId $SubscriptionId } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.Name,New-AibUserAssignedIdentity'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when no subscription is known' {
        It 'fails with InvalidArgument naming SubscriptionId' {
            { New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg' } | Should -Throw -ErrorId 'INVALID_ARGUMENT.SubscriptionId,New-AibUserAssignedIdentity'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when ARM answers 404 ResourceGroupNotFound' {
        It 'writes an ObjectNotFound error with the ARM code' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith {
                throw (New-TestNativeException -StatusName 'SERVICE' -Status 400 -HttpStatus 404 -ArmCode 'ResourceGroupNotFound')
            }
            $err = $null
            try { New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'nope' -SubscriptionId $SubscriptionId } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.FullyQualifiedErrorId | Should -Be 'ResourceGroupNotFound,New-AibUserAssignedIdentity'
            $err.TargetObject | Should -BeLike '*/resourceGroups/nope/*'
        }
    }
}
