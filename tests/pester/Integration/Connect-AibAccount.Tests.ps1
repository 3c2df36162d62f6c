Describe 'Connect-AibAccount token sources' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $state = Get-Content -LiteralPath $emulator.StateFilePath -Raw | ConvertFrom-Json
        $common = @{
            ArmEndpoint       = $state.endpoint
            AuthorityHost     = $state.authorityHost
            Audience          = $state.audience
            CaCertificatePath = $state.caCertificatePath
            SubscriptionId    = $state.subscriptionId
        }
        $certificatePem = Join-Path -Path $PSScriptRoot -ChildPath '../../../rust/aibperm/tests/data/test-certificate.pem'
        $keyLine = ((Get-Content -LiteralPath $certificatePem) | Select-String -Pattern 'BEGIN PRIVATE KEY' -Context 0, 1).Context.PostContext[0]

        # A real emulator token, as the signed-in command line tools would hand out.
        $curl = Get-Command -Name curl -CommandType Application | Select-Object -First 1
        $form = "grant_type=client_credentials&client_id=$($state.clientId)&client_secret=$([uri]::EscapeDataString($state.clientSecret))&scope=$([uri]::EscapeDataString($state.audience + '.default'))"
        $answer = & $curl.Source --silent --show-error --fail --cacert $state.caCertificatePath --data $form "$($state.authorityHost)/$($state.tenantId)/oauth2/v2.0/token"
        $cliToken = (($answer -join '') | ConvertFrom-Json).access_token

        $binDir = Join-Path -Path $TestDrive -ChildPath 'bin'
        $null = New-Item -ItemType Directory -Path $binDir
        $azJson = @{ accessToken = $cliToken; expiresOn = '2099-12-31 23:00:00.000000'; expires_on = 4102441200; subscription = $state.subscriptionId; tenant = $state.tenantId; tokenType = 'Bearer' } | ConvertTo-Json -Compress
        $azdJson = @{ token = $cliToken; expiresOn = '2099-12-31T23:00:00Z' } | ConvertTo-Json -Compress
        foreach ($tool in @(@('az', $azJson), @('azd', $azdJson))) {
            $path = Join-Path -Path $binDir -ChildPath $tool[0]
            $script = "#!/bin/sh`necho `"`$@`" >> '$binDir/$($tool[0]).calls'`ncat <<'JSON'`n$($tool[1])`nJSON`n"
            [System.IO.File]::WriteAllText($path, $script)
            & chmod 755 $path
        }
        $savedPath = $env:PATH
        $env:PATH = "$binDir$([System.IO.Path]::PathSeparator)$env:PATH"

        $pfxPath = Join-Path -Path $TestDrive -ChildPath 'sp.pfx'
        $pfxPassword = 'pfx-password-3c81'
        & openssl pkcs12 -export -in $certificatePem -out $pfxPath -passout "pass:$pfxPassword" 2>$null
        $securePfxPassword = ConvertTo-SecureString -String $pfxPassword -AsPlainText -Force

        function ConvertTo-Base64Url ([string] $Text) {
            [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Text)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
        }
        $exp = [System.DateTimeOffset]::UtcNow.AddHours(1).ToUnixTimeSeconds()
        $federatedToken = (ConvertTo-Base64Url '{"alg":"RS256","kid":"k1"}') + '.' + (ConvertTo-Base64Url ('{"iss":"https://127.0.0.1/issuer","sub":"system:serviceaccount:aib:builder","aud":"api://AzureADTokenExchange","exp":' + $exp + '}')) + '.ZmVkZXJhdGVkLXNpZ25hdHVyZS03ZTI'
        $federatedFile = Join-Path -Path $TestDrive -ChildPath 'azure-identity-token'
        Set-Content -LiteralPath $federatedFile -Value $federatedToken

        $secrets = @($state.clientSecret, $cliToken, $pfxPassword, $federatedToken, $state.identityHeader, $keyLine)

        function Invoke-Source {
            # Connects with a token source, lists identities, shows the context; returns every
            # record of every stream (Verbose and Debug on, native log included) as text.
            param ([hashtable] $Splat)
            $records = & {
                Connect-AibAccount @Splat @common -Verbose -Debug
                Get-AibUserAssignedIdentity -SubscriptionId $state.subscriptionId -Verbose -Debug
                Get-AibContext | Format-List -Property * | Out-String
            } *>&1
            @($records | ForEach-Object {
                    if ($_ -is [System.Management.Automation.ErrorRecord]) { "$_ $($_.Exception.Message) $($_.ErrorDetails)" }
                    elseif ($_ -is [System.Management.Automation.InformationRecord]) { "$($_.MessageData)" }
                    elseif ($_.PSObject.Properties['Message']) { $_.Message }
                    else { $_ | Out-String }
                }) -join "`n"
        }
    }

    AfterAll {
        $env:PATH = $savedPath
        Disconnect-AibAccount
        Stop-AibEmulator
    }

    Context 'when <Name> signs in' -ForEach @(
        @{ Name = 'the Azure CLI'; Kind = 'AzureCli'; Splat = @{ UseAzureCli = $true } }
        @{ Name = 'the Azure Developer CLI'; Kind = 'AzureDeveloperCli'; Splat = @{ UseAzureDeveloperCli = $true } }
        @{ Name = 'a certificate in a PEM file'; Kind = 'ServicePrincipalCertificate'; Splat = @{ ServicePrincipal = $true; CertificatePath = 'PEM' } }
        @{ Name = 'a certificate in a PFX file'; Kind = 'ServicePrincipalCertificate'; Splat = @{ ServicePrincipal = $true; CertificatePath = 'PFX' } }
        @{ Name = 'workload identity federation'; Kind = 'WorkloadIdentity'; Splat = @{ FederatedTokenFile = 'FILE' } }
        @{ Name = 'the App Service managed identity'; Kind = 'ManagedIdentity'; Splat = @{ Identity = $true } }
    ) {
        BeforeAll {
            $splat = $Splat.Clone()
            if ($splat.ContainsKey('ServicePrincipal')) {
                $splat.TenantId = $state.tenantId
                $splat.ApplicationId = $state.clientId
                if ($splat.CertificatePath -eq 'PFX') {
                    $splat.CertificatePath = $pfxPath
                    $splat.CertificatePassword = $securePfxPassword
                } else {
                    $splat.CertificatePath = $certificatePem
                }
            }
            if ($splat.ContainsKey('FederatedTokenFile')) {
                $splat.FederatedTokenFile = $federatedFile
                $splat.TenantId = $state.tenantId
                $splat.ApplicationId = $state.clientId
            }
            $env:IDENTITY_ENDPOINT = $state.managedIdentityEndpoint
            $env:IDENTITY_HEADER = $state.identityHeader
            $text = Invoke-Source -Splat $splat
        }

        AfterAll {
            $env:IDENTITY_ENDPOINT = $null
            $env:IDENTITY_HEADER = $null
        }

        It 'reaches ARM and shows the source in the context' {
            $context = Get-AibContext
            $context.CredentialKind | Should -Be $Kind
            $context.SubscriptionId | Should -Be $state.subscriptionId
            $text | Should -Match ([regex]::Escape("CredentialKind : $Kind"))
            $text | Should -Match '\[aibperm\]'
        }

        It 'never shows a secret in any stream, log or error' {
            foreach ($secret in $secrets) {
                $text | Should -Not -Match ([regex]::Escape($secret))
            }
            $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.'
        }
    }

    Context 'when the command line tools are asked for a tenant' {
        It 'passes it to az and azd' {
            $null = Connect-AibAccount -UseAzureCli -TenantId $state.tenantId @common
            $null = Get-AibUserAssignedIdentity -SubscriptionId $state.subscriptionId
            $null = Connect-AibAccount -UseAzureDeveloperCli -TenantId $state.tenantId @common
            $null = Get-AibUserAssignedIdentity -SubscriptionId $state.subscriptionId
            @(Get-Content -LiteralPath (Join-Path -Path $binDir -ChildPath 'az.calls'))[-1] | Should -Match "--tenant $($state.tenantId)$"
            @(Get-Content -LiteralPath (Join-Path -Path $binDir -ChildPath 'azd.calls'))[-1] | Should -Match "--tenant-id $($state.tenantId)$"
        }
    }

    Context 'when the PFX password is wrong' {
        It 'stops naming CertificatePassword without showing either password' {
            $wrong = ConvertTo-SecureString -String 'wrong-password-51d' -AsPlainText -Force
            $err = $null
            try {
                Connect-AibAccount -ServicePrincipal -TenantId $state.tenantId -ApplicationId $state.clientId -CertificatePath $pfxPath -CertificatePassword $wrong @common
            } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'INVALID_ARGUMENT.CertificatePassword,Connect-AibAccount'
            "$err $($err.Exception.Message)" | Should -Not -Match 'wrong-password-51d|pfx-password-3c81'
        }
    }

    Context 'when a device code sign-in runs' {
        BeforeAll {
            function Start-DeviceCodeRunspace {
                $ps = [powershell]::Create()
                $script = {
                    param ($ModulePath, $Splat, $SubscriptionId)
                    $ErrorActionPreference = 'Stop'
                    Import-Module -Name $ModulePath
                    $null = Connect-AibAccount -UseDeviceAuthentication @Splat
                    $null = Get-AibUserAssignedIdentity -SubscriptionId $SubscriptionId
                    Get-AibContext
                }
                $modulePath = Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1'
                $splat = $common.Clone()
                $splat.TenantId = $state.tenantId
                $null = $ps.AddScript($script).AddParameter('ModulePath', $modulePath).AddParameter('Splat', $splat).AddParameter('SubscriptionId', $state.subscriptionId)
                Add-Member -InputObject $ps -MemberType NoteProperty -Name 'AsyncResult' -Value $ps.BeginInvoke()
                $ps
            }

            function Get-PendingUserCode {
                $json = & $curl.Source --silent --show-error --fail --cacert $state.caCertificatePath "$($state.controlEndpoint)/device-codes"
                @((($json -join '') | ConvertFrom-Json).value | ForEach-Object { $_.userCode })
            }
        }

        It 'shows the code as a warning, waits, and connects once it is approved' {
            $ps = Start-DeviceCodeRunspace
            try {
                Wait-AibCondition -Condition { @($ps.Streams.Warning).Count -gt 0 } | Should -BeTrue
                $codes = @(Get-PendingUserCode)
                $codes.Count | Should -Be 1
                $ps.Streams.Warning[0].Message | Should -Match ([regex]::Escape($codes[0]))
                $ps.Streams.Warning[0].Message | Should -Match '/devicelogin'
                Wait-AibCondition -Condition { @($ps.Streams.Progress).Count -gt 0 } | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Running'

                $null = & $curl.Source --silent --show-error --fail --cacert $state.caCertificatePath -X POST "$($state.controlEndpoint)/device-codes/$($codes[0])/approve"
                Wait-AibCondition -Condition { $ps.InvocationStateInfo.State -ne 'Running' } | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Completed'
                $context = @($ps.EndInvoke($ps.AsyncResult))[-1]
                $context.CredentialKind | Should -Be 'DeviceCode'
            } finally {
                $ps.Dispose()
            }
        }

        It 'stops waiting when the command is stopped, as with Ctrl+C' {
            $ps = Start-DeviceCodeRunspace
            try {
                Wait-AibCondition -Condition { @($ps.Streams.Warning).Count -gt 0 } | Should -BeTrue
                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            } finally {
                $ps.Dispose()
            }
        }
    }

    Context 'when the Az PowerShell context is signed in' {
        BeforeAll {
            $script:azToken = $cliToken
            function global:Get-AzAccessToken {
                param ([string] $ResourceUrl, [string] $TenantId)
                [pscustomobject]@{ Token = (ConvertTo-SecureString -String $script:azToken -AsPlainText -Force); ExpiresOn = [System.DateTimeOffset]::UtcNow.AddMinutes(50); UserId = 'admin@contoso.test' }
            }
            function global:Get-AzContext {
                [pscustomobject]@{ Subscription = [pscustomobject]@{ Id = $state.subscriptionId }; Tenant = [pscustomobject]@{ Id = $state.tenantId }; Account = [pscustomobject]@{ Id = 'admin@contoso.test' } }
            }
        }

        AfterAll {
            Remove-Item -Path 'Function:\Get-AzAccessToken', 'Function:\Get-AzContext'
        }

        It 'is the default source and its token reaches ARM' {
            $splat = $common.Clone()
            $splat.Remove('SubscriptionId')
            $text = & {
                Connect-AibAccount @splat -Verbose -Debug
                Get-AibUserAssignedIdentity -Verbose -Debug
            } *>&1 | Out-String
            $context = Get-AibContext
            $context.CredentialKind | Should -Be 'AzContext'
            $context.SubscriptionId | Should -Be $state.subscriptionId
            $context.Account | Should -Be 'admin@contoso.test'
            $text | Should -Not -Match ([regex]::Escape($cliToken))
        }
    }
}
