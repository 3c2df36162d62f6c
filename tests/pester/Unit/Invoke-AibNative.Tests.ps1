Describe 'Invoke-AibNative' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    Context 'when the session is not connected' {
        It 'refuses an ARM operation with NotConnected before touching the library' {
            $err = $null
            try {
                InModuleScope -ModuleName AibPermissions {
                    Invoke-AibNative -Operation 'identity.get' -Request @{ subscriptionId = 'x'; resourceGroupName = 'rg'; name = 'n' }
                }
            } catch {
                $err = $_
            }
            $err.FullyQualifiedErrorId | Should -Be 'NotConnected'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }
    }

    Context 'when an offline export rejects its input' {
        It 'throws AibPermissions.NativeException with the status and target' {
            $exception = $null
            try {
                InModuleScope -ModuleName AibPermissions {
                    Invoke-AibNative -Operation 'scope_parse' -Request @{ scope = 'subscriptions' } -Offline
                }
            } catch {
                $exception = $_.Exception
            }
            $exception | Should -BeOfType [AibPermissions.NativeException]
            $exception.StatusName | Should -Be 'INVALID_ARGUMENT'
            $exception.Status | Should -Be 103
            $exception.Target | Should -Be 'scope'
        }
    }

    Context 'when raw bytes are asked for' {
        It 'returns one byte array' {
            $result = InModuleScope -ModuleName AibPermissions {
                $role = Invoke-AibNative -Operation 'role_generate' -Request @{ scenario = 'Networking'; subscriptionId = '00000000-0000-0000-0000-0000000000aa'; resourceGroupName = 'rg' } -Offline
                , (Invoke-AibNative -Operation 'role_file_render' -Request @{ role = $role; format = 'Flat' } -Offline -Raw)
            }
            , $result | Should -BeOfType [byte[]]
            ([System.Text.Encoding]::UTF8.GetString($result) | ConvertFrom-Json).Actions | Should -Contain 'Microsoft.Network/virtualNetworks/read'
        }
    }

    Context 'when an offline export succeeds' {
        It 'returns the decoded JSON result' {
            $result = InModuleScope -ModuleName AibPermissions {
                Invoke-AibNative -Operation 'scope_parse' -Request @{ scope = '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourcegroups/RG/' } -Offline
            }
            $result.scope | Should -Be '/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/RG'
            $result.kind | Should -Be 'ResourceGroup'
        }
    }
}

Describe 'Argument completion' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    It 'completes <Prefix> for <Command> -<Parameter> with <Expected>' -ForEach @(
        @{ Command = 'New-AibRoleDefinition'; Parameter = 'Scenario'; Prefix = 'Ima'; Expected = 'ImageCreation' }
        @{ Command = 'Export-AibRoleDefinition'; Parameter = 'Scenario'; Prefix = 'Netw'; Expected = 'Networking' }
        @{ Command = 'New-AibRoleAssignment'; Parameter = 'ObjectType'; Prefix = 'Serv'; Expected = 'ServicePrincipal' }
        @{ Command = 'Connect-AibAccount'; Parameter = 'Environment'; Prefix = 'AzureU'; Expected = 'AzureUSGovernment' }
    ) {
        $line = "$Command -$Parameter $Prefix"
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        @($completions | ForEach-Object { $_.CompletionText }) | Should -Contain $Expected
    }
}
