Describe 'Connect-AibAccount' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $tenant = '99999999-0000-0000-0000-000000000001'
        $app = '99999999-0000-0000-0000-000000000002'
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith { [IntPtr]42 } -ParameterFilter { $Operation -eq 'client.new' }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith { } -ParameterFilter { $Operation -eq 'client.free' }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when an access token string is given for AzureChinaCloud' {
        It 'configures the client with that cloud and the token' {
            $context = Connect-AibAccount -AccessToken 'token-value-1' -Environment AzureChinaCloud -SubscriptionId $SubscriptionId
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and
                $Request.armEndpoint -eq 'https://management.chinacloudapi.cn' -and
                $Request.authorityHost -eq 'https://login.chinacloudapi.cn' -and
                $Request.audience -eq 'https://management.chinacloudapi.cn/' -and
                $Request.credential.kind -eq 'accessToken'
            }
            $context.PSObject.TypeNames | Should -Contain 'AibPermissions.Context'
            $context.SubscriptionId | Should -Be $SubscriptionId
            $context.Environment | Should -Be 'AzureChinaCloud'
        }

        It 'returns a context that holds no secret' {
            $context = Connect-AibAccount -AccessToken 'token-value-2'
            ($context | ConvertTo-Json -Depth 5) | Should -Not -Match 'token-value-2'
            (Get-AibContext | ConvertTo-Json -Depth 5) | Should -Not -Match 'token-value-2'
        }
    }

    Context 'when the token is a SecureString' {
        It 'passes its plain text to the client only' {
            $secure = New-Object -TypeName System.Security.SecureString
            'secure-token-3'.ToCharArray() | ForEach-Object { $secure.AppendChar($_) }
            $null = Connect-AibAccount -AccessToken $secure
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.token -ceq 'secure-token-3'
            }
        }
    }

    Context 'when a service principal signs in to a custom endpoint' {
        It 'sends a clientSecret credential with the custom endpoints' {
            $secret = New-Object -TypeName System.Security.SecureString
            'sp-secret'.ToCharArray() | ForEach-Object { $secret.AppendChar($_) }
            $splat = @{
                ServicePrincipal = $true
                TenantId         = $tenant
                ApplicationId    = $app
                ClientSecret     = $secret
                ArmEndpoint      = 'https://127.0.0.1:8443/'
                AuthorityHost    = 'https://127.0.0.1:8443'
                Audience         = 'https://management.azure.com/'
            }
            $context = Connect-AibAccount @splat
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and
                $Request.armEndpoint -eq 'https://127.0.0.1:8443' -and
                $Request.credential.kind -eq 'clientSecret' -and
                $Request.credential.clientId -eq $app -and
                $Request.credential.tenantId -eq $tenant
            }
            $context.Environment | Should -Be 'Custom'
            $context.Account | Should -Be $app
        }
    }

    Context 'when the session was connected before' {
        It 'frees the previous client' {
            $null = Connect-AibAccount -AccessToken 'one'
            $null = Connect-AibAccount -AccessToken 'two'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'client.free' }
        }
    }

    Context 'when -WhatIf is given' {
        It 'makes no native call' {
            Connect-AibAccount -AccessToken 'whatif' -WhatIf
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
            Get-AibContext | Should -BeNullOrEmpty
        }
    }

    Context 'when the input is wrong' {
        It 'rejects <Case> naming <Field>' -ForEach @(
            @{ Case = 'a custom endpoint without an audience'; Field = 'Audience'; Splat = @{ AccessToken = 't'; ArmEndpoint = 'https://127.0.0.1:1' } }
            @{ Case = 'a plain-HTTP endpoint'; Field = 'ArmEndpoint'; Splat = @{ AccessToken = 't'; ArmEndpoint = 'http://127.0.0.1:1'; Audience = 'x' } }
            @{ Case = 'a tenant that is not a GUID'; Field = 'TenantId'; Splat = @{ AccessToken = 't'; TenantId = 'contoso' } }
            @{ Case = 'a subscription that is not a GUID'; Field = 'SubscriptionId'; Splat = @{ AccessToken = 't'; SubscriptionId = 'sub' } }
            @{ Case = 'an empty token'; Field = 'AccessToken'; Splat = @{ AccessToken = '' } }
        ) {
            $err = $null
            try { Connect-AibAccount @Splat } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.FullyQualifiedErrorId | Should -Be "INVALID_ARGUMENT.$Field,Connect-AibAccount"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }
}

Describe 'Disconnect-AibAccount' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith { [IntPtr]42 } -ParameterFilter { $Operation -eq 'client.new' }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -MockWith { } -ParameterFilter { $Operation -eq 'client.free' }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when connected' {
        It 'frees the client and forgets the context' {
            $null = Connect-AibAccount -AccessToken 't'
            Disconnect-AibAccount
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'client.free' -and $Request -eq [IntPtr]42 }
            Get-AibContext | Should -BeNullOrEmpty
        }

        It 'keeps the connection with -WhatIf' {
            $null = Connect-AibAccount -AccessToken 't'
            Disconnect-AibAccount -WhatIf
            Get-AibContext | Should -Not -BeNullOrEmpty
        }
    }
}
