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

    Context 'when no token source is given and Az PowerShell is signed in' {
        BeforeAll {
            function global:Get-AzAccessToken {
                param ([string] $ResourceUrl, [string] $TenantId)
                $secure = New-Object -TypeName System.Security.SecureString
                'az-context-token-7'.ToCharArray() | ForEach-Object { $secure.AppendChar($_) }
                [pscustomobject]@{ Token = $secure; ExpiresOn = [System.DateTimeOffset]::FromUnixTimeSeconds(4102441200); TenantId = '99999999-0000-0000-0000-0000000000a1'; UserId = 'admin@contoso.test'; Audience = $ResourceUrl }
            }
            function global:Get-AzContext {
                [pscustomobject]@{ Subscription = [pscustomobject]@{ Id = '99999999-0000-0000-0000-0000000000b2' }; Tenant = [pscustomobject]@{ Id = '99999999-0000-0000-0000-0000000000a1' }; Account = [pscustomobject]@{ Id = 'admin@contoso.test' } }
            }
        }

        AfterAll {
            Remove-Item -Path 'Function:\Get-AzAccessToken', 'Function:\Get-AzContext'
        }

        It 'takes the Az token once with its expiry, tenant and subscription' {
            $context = Connect-AibAccount -Environment AzureUSGovernment
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and
                $Request.credential.kind -eq 'accessToken' -and
                $Request.credential.token -ceq 'az-context-token-7' -and
                $Request.credential.expiresOn -eq 4102441200
            }
            $context.CredentialKind | Should -Be 'AzContext'
            $context.TenantId | Should -Be '99999999-0000-0000-0000-0000000000a1'
            $context.SubscriptionId | Should -Be '99999999-0000-0000-0000-0000000000b2'
            $context.Account | Should -Be 'admin@contoso.test'
            $context.TokenExpiresOn.ToUnixTimeSeconds() | Should -Be 4102441200
            ($context | ConvertTo-Json -Depth 5) | Should -Not -Match 'az-context-token-7'
        }

        It 'asks Az for the audience of the chosen cloud' {
            Mock -CommandName Get-AzAccessToken -ModuleName AibPermissions -MockWith {
                [pscustomobject]@{ Token = 'plain-az-token'; ExpiresOn = [System.DateTimeOffset]::UtcNow.AddHours(1); UserId = 'u' }
            }
            $null = Connect-AibAccount -UseAzContext -Environment AzureChinaCloud
            Should -Invoke -CommandName Get-AzAccessToken -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $ResourceUrl -eq 'https://management.chinacloudapi.cn/' }
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.token -ceq 'plain-az-token'
            }
        }
    }

    Context 'when no token source is given and Az.Accounts is not loaded' {
        It 'stops with an error that names the choices' {
            $err = $null
            try { Connect-AibAccount } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.UseAzContext,Connect-AibAccount'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when a command line tool signs in' {
        It 'sends <Kind> for <Switch> with the tenant' -ForEach @(
            @{ Switch = 'UseAzureCli'; Kind = 'azureCli'; CredentialKind = 'AzureCli' }
            @{ Switch = 'UseAzureDeveloperCli'; Kind = 'azureDeveloperCli'; CredentialKind = 'AzureDeveloperCli' }
        ) {
            Mock -CommandName Get-Command -ModuleName AibPermissions -MockWith {
                [pscustomobject]@{ Source = "/opt/tools/$Name" }
            } -ParameterFilter { $Name -in 'az', 'azd' }
            $splat = @{ $Switch = $true; TenantId = $tenant }
            $context = Connect-AibAccount @splat
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.kind -eq $Kind -and $Request.credential.tenantId -eq $tenant -and
                $Request.credential.executable -like '/opt/tools/az*'
            }
            $context.CredentialKind | Should -Be $CredentialKind
        }

        It 'stops naming <Switch> when the tool is not on the PATH' -ForEach @(
            @{ Switch = 'UseAzureCli' }
            @{ Switch = 'UseAzureDeveloperCli' }
        ) {
            Mock -CommandName Get-Command -ModuleName AibPermissions -MockWith { } -ParameterFilter { $Name -in 'az', 'azd' }
            $splat = @{ $Switch = $true }
            $err = $null
            try { Connect-AibAccount @splat } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be "INVALID_ARGUMENT.$Switch,Connect-AibAccount"
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when a service principal signs in with a PEM certificate' {
        It 'passes the full path of the file, not its content' {
            $pem = Join-Path -Path $TestDrive -ChildPath 'sp.pem'
            Set-Content -LiteralPath $pem -Value "-----BEGIN CERTIFICATE-----`nAAAA`n-----END CERTIFICATE-----"
            $context = Connect-AibAccount -ServicePrincipal -TenantId $tenant -ApplicationId $app -CertificatePath $pem
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.kind -eq 'clientCertificate' -and
                $Request.credential.certificatePath -eq $pem -and $Request.credential.clientId -eq $app
            }
            $context.CredentialKind | Should -Be 'ServicePrincipalCertificate'
        }

        It 'rejects a missing file naming CertificatePath' {
            $err = $null
            try { Connect-AibAccount -ServicePrincipal -TenantId $tenant -ApplicationId $app -CertificatePath (Join-Path -Path $TestDrive -ChildPath 'none.pem') } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.CertificatePath,Connect-AibAccount'
        }
    }

    Context 'when workload identity federation is used' {
        BeforeEach {
            $saved = @{ Tenant = $env:AZURE_TENANT_ID; Client = $env:AZURE_CLIENT_ID }
            $tokenFile = Join-Path -Path $TestDrive -ChildPath 'federated-token'
            Set-Content -LiteralPath $tokenFile -Value 'a.b.c'
        }

        AfterEach {
            $env:AZURE_TENANT_ID = $saved.Tenant
            $env:AZURE_CLIENT_ID = $saved.Client
        }

        It 'takes the tenant and application from the environment' {
            $env:AZURE_TENANT_ID = $tenant
            $env:AZURE_CLIENT_ID = $app
            $context = Connect-AibAccount -FederatedTokenFile $tokenFile
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.kind -eq 'workloadIdentity' -and
                $Request.credential.tenantId -eq $tenant -and $Request.credential.clientId -eq $app -and
                $Request.credential.tokenFile -eq $tokenFile
            }
            $context.CredentialKind | Should -Be 'WorkloadIdentity'
        }

        It 'stops naming TenantId when neither the parameter nor the variable is set' {
            $env:AZURE_TENANT_ID = $null
            $env:AZURE_CLIENT_ID = $app
            $err = $null
            try { Connect-AibAccount -FederatedTokenFile $tokenFile } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.TenantId,Connect-AibAccount'
        }
    }

    Context 'when a managed identity signs in' {
        BeforeEach {
            $saved = @{ Endpoint = $env:IDENTITY_ENDPOINT; Header = $env:IDENTITY_HEADER }
        }

        AfterEach {
            $env:IDENTITY_ENDPOINT = $saved.Endpoint
            $env:IDENTITY_HEADER = $saved.Header
        }

        It 'uses the App Service endpoint and the user-assigned client id' {
            $env:IDENTITY_ENDPOINT = 'http://127.0.0.1:41234/msi/token'
            $env:IDENTITY_HEADER = 'header-value-9'
            $context = Connect-AibAccount -Identity -ClientId $app
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.kind -eq 'managedIdentity' -and
                $Request.credential.endpoint -eq 'http://127.0.0.1:41234/msi/token' -and
                $Request.credential.identityHeader -ceq 'header-value-9' -and $Request.credential.clientId -eq $app
            }
            $context.Account | Should -Be $app
            ($context | ConvertTo-Json) | Should -Not -Match 'header-value-9'
        }

        It 'stops naming Identity without the endpoint variables' {
            $env:IDENTITY_ENDPOINT = $null
            $env:IDENTITY_HEADER = $null
            $err = $null
            try { Connect-AibAccount -Identity } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.Identity,Connect-AibAccount'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }

    Context 'when a device code sign-in is asked for' {
        It 'signs in on the new client before keeping it' {
            Mock -CommandName Invoke-AibDeviceCodeSignIn -ModuleName AibPermissions -MockWith { }
            $context = Connect-AibAccount -UseDeviceAuthentication -TenantId $tenant
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'client.new' -and $Request.credential.kind -eq 'deviceCode' -and $Request.credential.tenantId -eq $tenant
            }
            Should -Invoke -CommandName Invoke-AibDeviceCodeSignIn -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Client -eq [IntPtr]42 }
            $context.CredentialKind | Should -Be 'DeviceCode'
        }

        It 'frees the client and keeps no context when the sign-in fails' {
            Mock -CommandName Invoke-AibDeviceCodeSignIn -ModuleName AibPermissions -MockWith {
                throw (New-TestNativeException -StatusName 'CREDENTIAL' -Status 200)
            }
            $err = $null
            try { Connect-AibAccount -UseDeviceAuthentication } catch { $err = $_ }
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Operation -eq 'client.free' -and $Request -eq [IntPtr]42 }
            Get-AibContext | Should -BeNullOrEmpty
        }
    }

    Context 'when the parameter sets are inspected' {
        It 'offers one set per token source' {
            $sets = (Get-Command -Name Connect-AibAccount).ParameterSets.Name | Sort-Object
            $sets | Should -Be @('AccessToken', 'AzContext', 'AzureCli', 'AzureDeveloperCli', 'DeviceCode', 'FederatedToken', 'Identity', 'ServicePrincipal', 'ServicePrincipalCertificate')
        }

        It 'takes every secret as a SecureString' {
            $command = Get-Command -Name Connect-AibAccount
            $command.Parameters['ClientSecret'].ParameterType | Should -Be ([System.Security.SecureString])
            $command.Parameters['CertificatePassword'].ParameterType | Should -Be ([System.Security.SecureString])
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
