Describe 'Tab completion against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'aib-images', 'aib-network') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }

        function Get-Completion {
            # What Tab offers at the end of $Line, as the text it would insert.
            param ([Parameter(Mandatory)] [string] $Line)
            $result = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
            @($result.CompletionMatches | ForEach-Object { $_.CompletionText })
        }
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when completing -Location' {
        It 'offers the subscription''s locations that start with the typed word' {
            $offered = Get-Completion -Line 'New-AibUserAssignedIdentity -Name x -Location westu'
            $offered | Should -Contain 'westus2'
            $offered | Should -Contain 'westus'
            $offered | Should -Not -Contain 'eastus'
        }
    }

    Context 'when completing a resource group name' {
        It 'offers the subscription''s resource groups for -ResourceGroupName' {
            $offered = Get-Completion -Line 'New-AibUserAssignedIdentity -ResourceGroupName aib-'
            $offered | Should -Be @('aib-images', 'aib-network')
        }

        It 'offers them for the scenario parameters of Grant-AibPermission' {
            $offered = Get-Completion -Line 'Grant-AibPermission -VirtualNetworkResourceGroupName aib-n'
            $offered | Should -Be @('aib-network')
        }
    }

    Context 'when completing -RoleDefinitionName' {
        It 'offers built-in roles, quoting names with spaces' {
            $offered = Get-Completion -Line 'New-AibRoleAssignment -RoleDefinitionName Stor'
            $offered | Should -Contain "'Storage Blob Data Reader'"
            $offered | Should -Not -Contain 'Contributor'
        }

        It 'offers a custom role created at the resource group typed on the line' {
            $role = New-AibRoleDefinition -Scenario Networking -SubscriptionId $sub -ResourceGroupName 'aib-network'
            $offered = Get-Completion -Line "New-AibRoleAssignment -ResourceGroupName aib-network -RoleDefinitionName "
            $expected = $role.Name
            if ($expected -match '\s') { $expected = "'$expected'" }
            $offered | Should -Contain $expected
            $offered | Should -Contain 'Reader'
        }
    }

    Context 'when completing -Scope and -SubscriptionId' {
        It 'offers the subscription id and the resource group ids' {
            $offered = Get-Completion -Line 'New-AibRoleAssignment -Scope '
            $offered | Should -Contain "/subscriptions/$sub"
            $offered | Should -Contain "/subscriptions/$sub/resourceGroups/aib-images"
        }

        It 'offers the connected subscription for -SubscriptionId' {
            Get-Completion -Line 'New-AibRoleDefinition -SubscriptionId ' | Should -Be @($sub)
        }
    }

    Context 'when completing the name of an identity' {
        It 'offers the identities of the resource group typed on the line' {
            $null = New-AibUserAssignedIdentity -Name 'uai-completion' -ResourceGroupName 'aib-images'
            $offered = Get-Completion -Line 'Get-AibUserAssignedIdentity -ResourceGroupName aib-images -Name uai-'
            $offered | Should -Be @('uai-completion')
        }
    }

    Context 'when completing offline values' {
        It 'offers scenario names for -Scenario' {
            Get-Completion -Line 'New-AibRoleDefinition -Scenario Ima' | Should -Be @('ImageCreation')
        }

        It 'offers principal types for -ObjectType' {
            Get-Completion -Line 'New-AibRoleAssignment -ObjectType Serv' | Should -Be @('ServicePrincipal')
        }
    }

    Context 'when Az compatibility is on' {
        It 'completes the same values under the Az command names' {
            $null = Enable-AibAzCompatibility -Confirm:$false
            try {
                Get-Completion -Line 'New-AzRoleAssignment -RoleDefinitionName Stor' | Should -Contain "'Storage Blob Data Reader'"
                Get-Completion -Line 'New-AzUserAssignedIdentity -Location westus' | Should -Contain 'westus3'
            } finally {
                $null = Disable-AibAzCompatibility -Confirm:$false
            }
        }
    }

    Context 'when the list was read once' {
        It 'answers the next Tab from the session cache without calling ARM' {
            $null = Get-Completion -Line 'New-AibUserAssignedIdentity -Location east'
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith { throw 'no ARM call expected' }
            Get-Completion -Line 'New-AibUserAssignedIdentity -Location eastus' | Should -Contain 'eastus2'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }
}

Describe 'Tab completion when ARM cannot answer' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
    }

    Context 'when no session is connected' {
        It 'offers nothing and writes no error' {
            Disconnect-AibAccount -ErrorAction SilentlyContinue
            $line = 'New-AibUserAssignedIdentity -Location west'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length -ErrorVariable completionErrors
            @($result.CompletionMatches | Where-Object { $_.ResultType -eq 'ParameterValue' }) | Should -BeNullOrEmpty
            $completionErrors | Should -BeNullOrEmpty
        }
    }

    Context 'when the list operation fails' {
        BeforeAll {
            $emulator = Start-AibEmulator
        }

        AfterAll {
            Stop-AibEmulator
        }

        It 'offers nothing and writes no error' {
            $null = $emulator
            Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith { throw [System.InvalidOperationException]::new('ARM is unreachable') }
            $line = 'New-AibUserAssignedIdentity -ResourceGroupName zz'
            $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length -ErrorVariable completionErrors
            @($result.CompletionMatches | Where-Object { $_.ResultType -eq 'ParameterValue' }) | Should -BeNullOrEmpty
            $completionErrors | Should -BeNullOrEmpty
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1
        }
    }
}
