Describe 'Grant-AibPermission against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator -ReplicationDelaySeconds 2 -RoleVisibilityDelaySeconds 1
        $sub = $emulator.SubscriptionId
        foreach ($group in 'aib-images', 'aib-network', 'aib-staging') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $plan = @{
            IdentityName                    = 'aibIdentity'
            ResourceGroupName               = 'aib-images'
            ImageResourceGroupName          = 'aib-images'
            GalleryResourceGroupName        = 'aib-images'
            VirtualNetworkResourceGroupName = 'aib-network'
        }

        function Get-TestWriteCount {
            # PUT and DELETE requests the emulator has served, from its control endpoint.
            $curl = Get-Command -Name curl -CommandType Application | Select-Object -First 1
            $json = & $curl.Source --silent --show-error --fail --cacert $emulator.CaCertificatePath "$($emulator.ControlEndpoint)/counters"
            $counters = ($json -join "`n") | ConvertFrom-Json
            $sum = 0
            foreach ($property in $counters.PSObject.Properties) {
                if ($property.Name -like '*.put' -or $property.Name -like '*.delete') {
                    $sum += [int]$property.Value
                }
            }
            $sum
        }
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when -WhatIf is given first' {
        It 'returns nothing and writes nothing' {
            $before = Get-TestWriteCount
            $output = Grant-AibPermission @plan -WhatIf
            $output | Should -BeNullOrEmpty
            Get-TestWriteCount | Should -Be $before
            @((Get-EmulatorState -Emulator $emulator).userAssignedIdentities).Count | Should -Be 0
        }
    }

    Context 'when run, then run again' {
        BeforeAll {
            $first = @(Grant-AibPermission @plan)
            $writesAfterFirst = Get-TestWriteCount
            $second = @(Grant-AibPermission @plan)
        }

        It 'creates the identity, the two documented roles and their assignments' {
            $first.Count | Should -Be 5
            $first[0].PSObject.TypeNames | Should -Contain 'AibPermissions.GrantResult'
            $first.Action | Should -Be @('Created', 'Created', 'Created', 'Created', 'Created')
            $first.Kind | Should -Be @('Identity', 'RoleDefinition', 'RoleAssignment', 'RoleDefinition', 'RoleAssignment')
            $first[1].Name | Should -Be "Azure Image Builder Image Creation (aib-images, $sub)"
            $first[3].Scope | Should -Be "/subscriptions/$sub/resourceGroups/aib-network"
            $first[2].PrincipalId | Should -Be $first[0].PrincipalId
        }

        It 'reports every item Unchanged on the rerun and writes nothing' {
            $second.Action | Should -Be @('Unchanged', 'Unchanged', 'Unchanged', 'Unchanged', 'Unchanged')
            $second.Id | Should -Be $first.Id
            Get-TestWriteCount | Should -Be $writesAfterFirst
        }

        It 'plans Unchanged for everything under -WhatIf' {
            $before = Get-TestWriteCount
            Grant-AibPermission @plan -WhatIf
            Get-TestWriteCount | Should -Be $before
        }

        It 'leaves the identity Ready for Test-AibPermission' {
            $result = Test-AibPermission @plan
            $result.Ready | Should -BeTrue
            $result.Missing | Should -BeNullOrEmpty
        }
    }

    Context 'when the plan is kept in a file' {
        It 'applies it like the parameters do' {
            $file = Join-Path -Path $TestDrive -ChildPath 'plan.json'
            $content = [ordered]@{
                subscriptionId           = $sub
                identityName             = 'aibIdentity'
                resourceGroupName        = 'aib-images'
                stagingResourceGroupName = 'aib-staging'
            }
            Set-Content -LiteralPath $file -Value ($content | ConvertTo-Json)
            $results = @(Grant-AibPermission -PlanFile $file)
            $results.Action | Should -Be @('Unchanged', 'Created')
            $results[1].Name | Should -Be 'Contributor'
            $results[1].Scope | Should -Be "/subscriptions/$sub/resourceGroups/aib-staging"
        }
    }

    Context 'when an input is wrong' {
        It 'names the field and writes nothing' {
            $before = Get-TestWriteCount
            $failure = $null
            try {
                Grant-AibPermission @plan -SourceResourceGroupName 'aib-src'
            } catch {
                $failure = $_
            }
            $failure.FullyQualifiedErrorId | Should -BeLike 'INVALID_ARGUMENT.sourceType*'
            Get-TestWriteCount | Should -Be $before
        }
    }

    Context 'when stopped while waiting for replication' {
        It 'says so, and the next run completes the grant' {
            $arguments = @{ Sub = $sub }
            $script = {
                $null = Grant-AibPermission -IdentityName 'aibStopped' -ResourceGroupName 'aib-images' -ImageResourceGroupName 'aib-images' -SubscriptionId $Arguments.Sub
            }
            $ps = Start-AibRunspaceCommand -Emulator $emulator -Script $script.ToString() -Arguments $arguments
            try {
                $created = Wait-AibCondition -Condition { @((Get-EmulatorState -Emulator $emulator).userAssignedIdentities | Where-Object { $_.name -eq 'aibStopped' }).Count -eq 1 }
                $created | Should -BeTrue
                $ps.Stop()
                @($ps.Streams.Warning | Where-Object { $_.Message -like '*stopped*' }).Count | Should -BeGreaterThan 0
                @($ps.Streams.Warning | Where-Object { $_.Message -like '*Grant-AibPermission*Created RoleAssignment*' }).Count | Should -Be 1
            } finally {
                $ps.Dispose()
            }

            $results = @(Grant-AibPermission -IdentityName 'aibStopped' -ResourceGroupName 'aib-images' -ImageResourceGroupName 'aib-images')
            $results.Kind | Should -Be @('Identity', 'RoleDefinition', 'RoleAssignment')
            $results[0].Action | Should -Be 'Unchanged'
            (Test-AibPermission -IdentityName 'aibStopped' -ResourceGroupName 'aib-images' -ImageResourceGroupName 'aib-images').Ready | Should -BeTrue
        }
    }
}
