Describe 'Grant-AibPermission' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $rgScope = "/subscriptions/$SubscriptionId/resourceGroups/rg-images"
        $newItems = {
            param ($Action)
            [pscustomobject]@{
                items = @(
                    [pscustomobject]@{ kind = 'Identity'; name = 'aibIdentity'; scope = "/subscriptions/$SubscriptionId/resourceGroups/rg-aib"; id = "/subscriptions/$SubscriptionId/resourceGroups/rg-aib/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aibIdentity"; action = $Action; scenario = $null; principalId = $PrincipalId }
                    [pscustomobject]@{ kind = 'RoleDefinition'; name = 'Azure Image Builder Managed Image Distribution (rg-images, x)'; scope = $rgScope; id = "/subscriptions/$SubscriptionId/providers/Microsoft.Authorization/roleDefinitions/aaaaaaaa-0000-0000-0000-000000000001"; action = $Action; scenario = 'ManagedImageDistribution'; principalId = $null }
                    [pscustomobject]@{ kind = 'RoleAssignment'; name = 'Azure Image Builder Managed Image Distribution (rg-images, x)'; scope = $rgScope; id = "$rgScope/providers/Microsoft.Authorization/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001"; action = $Action; scenario = 'ManagedImageDistribution'; principalId = $PrincipalId }
                )
            }
        }
        $arguments = @{
            IdentityName           = 'aibIdentity'
            ResourceGroupName      = 'rg-aib'
            ImageResourceGroupName = 'rg-images'
            SubscriptionId         = $SubscriptionId
        }
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'grant.plan' } -MockWith { & $newItems 'Created' }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'grant.apply' } -MockWith { & $newItems 'Created' }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when the parameters are read' {
        It 'has the parameters of the issue and SupportsShouldProcess' {
            $command = Get-Command -Name Grant-AibPermission
            foreach ($name in 'IdentityName', 'ResourceGroupName', 'Location', 'PrincipalId', 'PlanFile', 'SubscriptionId', 'ImageResourceGroupName', 'GalleryResourceGroupName', 'SourceResourceGroupName', 'SourceType', 'VirtualNetworkResourceGroupName', 'BuildVmIdentityId', 'StorageContainerId', 'StagingResourceGroupName', 'ReplicationTimeoutSeconds', 'WhatIf', 'Confirm') {
                $command.Parameters.Keys | Should -Contain $name
            }
            @($command.Parameters['PrincipalId'].ParameterSets.Values.ValueFromPipelineByPropertyName) | Should -Contain $true
        }
    }

    Context 'when -WhatIf is given' {
        It 'reads the plan and makes no write call' {
            $output = Grant-AibPermission @arguments -WhatIf
            $output | Should -BeNullOrEmpty
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'grant.plan' }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'grant.apply' }
        }
    }

    Context 'when run' {
        It 'sends the plan with camelCase fields and applies it' {
            $null = Grant-AibPermission @arguments -SourceResourceGroupName 'rg-src' -SourceType Gallery -ReplicationTimeoutSeconds 90
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'grant.apply' -and $Request['subscriptionId'] -eq $SubscriptionId -and
                $Request['identityName'] -ceq 'aibIdentity' -and $Request['resourceGroupName'] -eq 'rg-aib' -and
                $Request['imageResourceGroupName'] -eq 'rg-images' -and $Request['sourceType'] -eq 'Gallery' -and
                $Request['replicationTimeoutSeconds'] -eq 90 -and -not $Request.Contains('location')
            }
        }

        It 'returns one GrantResult per item' {
            $results = @(Grant-AibPermission @arguments)
            $results.Count | Should -Be 3
            $results[0].PSObject.TypeNames | Should -Contain 'AibPermissions.GrantResult'
            $results.Action | Should -Be @('Created', 'Created', 'Created')
            $results.Kind | Should -Be @('Identity', 'RoleDefinition', 'RoleAssignment')
            $results[2].Scope | Should -Be $rgScope
            $results[2].Id | Should -BeLike '*/roleAssignments/bbbbbbbb-0000-0000-0000-000000000001'
        }
    }

    Context 'when an identity object is piped in' {
        It 'grants to its PrincipalId' {
            $identity = [pscustomobject]@{ PSTypeName = 'AibPermissions.UserAssignedIdentity'; Name = 'aibIdentity'; PrincipalId = $PrincipalId; Id = '/subscriptions/x' }
            $null = $identity | Grant-AibPermission -ImageResourceGroupName 'rg-images' -SubscriptionId $SubscriptionId
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'grant.apply' -and $Request['principalId'] -eq $PrincipalId -and -not $Request.Contains('identityName')
            }
        }
    }

    Context 'when a plan file is given' {
        It 'reads its fields in any casing and lets parameters win' {
            $file = Join-Path -Path $TestDrive -ChildPath 'plan.json'
            Set-Content -LiteralPath $file -Value (@{ SubscriptionId = $SubscriptionId; identityname = 'fromFile'; resourceGroupName = 'rg-aib'; imageResourceGroupName = 'rg-file' } | ConvertTo-Json)
            $null = Grant-AibPermission -PlanFile $file -ImageResourceGroupName 'rg-param'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'grant.apply' -and $Request['identityName'] -ceq 'fromFile' -and $Request['imageResourceGroupName'] -eq 'rg-param'
            }
        }

        It 'refuses an unknown field by name before any native call' {
            $file = Join-Path -Path $TestDrive -ChildPath 'typo.json'
            Set-Content -LiteralPath $file -Value (@{ subscriptionId = $SubscriptionId; imageResourceGroup = 'rg' } | ConvertTo-Json)
            $failure = $null
            try {
                Grant-AibPermission -PlanFile $file
            } catch {
                $failure = $_
            }
            $failure | Should -Not -BeNullOrEmpty
            $failure.FullyQualifiedErrorId | Should -BeLike 'INVALID_ARGUMENT.imageResourceGroup*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when no subscription is known' {
        It 'reports SubscriptionId as bad input and calls nothing' {
            $failure = $null
            try {
                Grant-AibPermission -IdentityName 'aibIdentity' -ResourceGroupName 'rg-aib' -ImageResourceGroupName 'rg'
            } catch {
                $failure = $_
            }
            $failure.FullyQualifiedErrorId | Should -BeLike 'INVALID_ARGUMENT.SubscriptionId*'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when the library refuses the plan' {
        It 'writes an error with the field and applies nothing' {
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'grant.plan' } -MockWith { throw (New-TestNativeException -Target 'sourceType') }
            $failure = $null
            try {
                Grant-AibPermission @arguments -SourceResourceGroupName 'rg-src'
            } catch {
                $failure = $_
            }
            $failure.FullyQualifiedErrorId | Should -BeLike 'INVALID_ARGUMENT.sourceType*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly -ParameterFilter { $Operation -eq 'grant.apply' }
        }
    }
}
