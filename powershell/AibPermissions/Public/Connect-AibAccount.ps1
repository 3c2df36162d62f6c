function Connect-AibAccount {
    <#
    .SYNOPSIS
        Connects the session to Azure Resource Manager with one token source.

    .DESCRIPTION
        Connect-AibAccount builds the native client that every other command of the module uses.
        Choose one token source: the signed-in Az PowerShell context (-UseAzContext, also the
        choice when no other source is given), the Azure CLI (-UseAzureCli), the Azure Developer
        CLI (-UseAzureDeveloperCli), a service principal with a client secret or a certificate
        (-ServicePrincipal), workload identity federation (-FederatedTokenFile), a managed
        identity (-Identity), a device code sign-in (-UseDeviceAuthentication) or a bearer
        token you already hold (-AccessToken).
        Choose where to connect: -Environment for a public cloud, or -ArmEndpoint with
        -AuthorityHost (and -Audience, -CaCertificatePath) for a custom cloud or the local
        emulator. A previous connection is closed first. Secrets are taken only as SecureString
        or file path, and the returned context holds none.

    .PARAMETER AccessToken
        A bearer token for Azure Resource Manager, as a string or a SecureString. Use it when
        another tool already signed you in. It is not refreshed: connect again when it expires.

    .PARAMETER UseAzContext
        Takes a token from the signed-in Az PowerShell context (Get-AzAccessToken of
        Az.Accounts), with its tenant, subscription and account. The token is taken once, with
        its expiry, and is not refreshed: connect again when it expires.

    .PARAMETER UseAzureCli
        Gets tokens from the signed-in Azure CLI (az account get-access-token), refreshed as
        they expire. Use it on a workstation where you ran 'az login'.

    .PARAMETER UseAzureDeveloperCli
        Gets tokens from the signed-in Azure Developer CLI (azd auth token), refreshed as they
        expire. Use it on a workstation where you ran 'azd auth login'.

    .PARAMETER ServicePrincipal
        Signs in as a service principal. Use with -TenantId, -ApplicationId and either
        -ClientSecret or -CertificatePath.

    .PARAMETER ApplicationId
        The application (client) id of the service principal or of the federated application.
        With -FederatedTokenFile it defaults to $env:AZURE_CLIENT_ID.

    .PARAMETER ClientSecret
        The client secret of the service principal, as a SecureString.

    .PARAMETER CertificatePath
        A certificate of the service principal with its private key: a PEM file (certificate
        and unencrypted PKCS#8 'PRIVATE KEY', or an encrypted key with -CertificatePassword) or
        a PFX file. The key signs a client assertion; it never leaves the process.

    .PARAMETER CertificatePassword
        The password of a PFX file or of an encrypted PEM key, as a SecureString.

    .PARAMETER FederatedTokenFile
        Workload identity federation: the file holding the federated token (as
        $env:AZURE_FEDERATED_TOKEN_FILE in Kubernetes or a CI system). It is read again for
        every token, so the platform may replace it. -TenantId and -ApplicationId default to
        $env:AZURE_TENANT_ID and $env:AZURE_CLIENT_ID.

    .PARAMETER Identity
        Signs in as the managed identity of the App Service, Functions or Container Apps
        environment, through $env:IDENTITY_ENDPOINT and $env:IDENTITY_HEADER.

    .PARAMETER ClientId
        The client id of a user-assigned managed identity to use with -Identity; without it
        the system-assigned identity is used.

    .PARAMETER UseDeviceAuthentication
        Signs in interactively with a device code: the command shows a URL and a code as a
        warning, and waits (with progress, Ctrl+C stops it) until you approve the sign-in in a
        browser on any device. The token is not refreshed: connect again when it expires.

    .PARAMETER TenantId
        The Entra ID tenant. Mandatory with -ServicePrincipal; with the command line tools it
        picks the tenant to get tokens for; informational with -AccessToken.

    .PARAMETER SubscriptionId
        The subscription that commands use when they are not given -SubscriptionId.

    .PARAMETER Environment
        The public cloud to connect to: AzureCloud (default), AzureChinaCloud or AzureUSGovernment.

    .PARAMETER ArmEndpoint
        The Azure Resource Manager endpoint of a custom cloud (Azure Stack Hub) or of the emulator.
        Overrides the endpoint of -Environment.

    .PARAMETER AuthorityHost
        The Entra ID authority host for a custom cloud. Overrides the authority of -Environment.

    .PARAMETER Audience
        The token audience for a custom -ArmEndpoint; the public clouds know their own.

    .PARAMETER CaCertificatePath
        A PEM file with an extra certificate authority to trust, for a custom cloud or the
        emulator. TLS is always verified.

    .EXAMPLE
        Connect-AzAccount
        Connect-AibAccount -UseAzContext

        Reuses the Az PowerShell sign-in, its tenant and its subscription.

    .EXAMPLE
        Connect-AibAccount -UseAzureCli `
            -SubscriptionId '00000000-0000-0000-0000-000000000001'

        Uses the account of 'az login' and sets the default subscription.

    .EXAMPLE
        $secret = Read-Host -AsSecureString -Prompt 'Client secret'
        Connect-AibAccount -ServicePrincipal -TenantId $tenantId `
            -ApplicationId $appId -ClientSecret $secret `
            -Environment AzureUSGovernment

        Signs in as a service principal to Azure US Government.

    .EXAMPLE
        Connect-AibAccount -ServicePrincipal -TenantId $tenantId `
            -ApplicationId $appId `
            -CertificatePath ./aib-builder.pfx `
            -CertificatePassword (Read-Host -AsSecureString)

        Signs in as a service principal with a certificate.

    .EXAMPLE
        Connect-AibAccount -UseDeviceAuthentication -TenantId $tenantId

        Shows a code to enter at the sign-in page and waits until you approve it.

    .EXAMPLE
        Connect-AibAccount -FederatedTokenFile $env:AZURE_FEDERATED_TOKEN_FILE

        Signs in with workload identity federation in a Kubernetes pod or a CI
        job.

    .EXAMPLE
        $token = (Get-AzAccessToken -AsSecureString).Token
        Connect-AibAccount -AccessToken $token `
            -SubscriptionId '00000000-0000-0000-0000-000000000001'

        Uses a token obtained elsewhere and sets the default subscription.

    .OUTPUTS
        AibPermissions.Context. Environment, ArmEndpoint, AuthorityHost, TenantId, SubscriptionId,
        Account, CredentialKind and TokenExpiresOn (for a token taken once); never a token or secret.

    .LINK
        Disconnect-AibAccount

    .LINK
        Get-AibContext
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low', DefaultParameterSetName = 'AzContext')]
    [OutputType('AibPermissions.Context')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'AccessToken')]
        [object] $AccessToken,

        [Parameter(ParameterSetName = 'AzContext')]
        [switch] $UseAzContext,

        [Parameter(Mandatory, ParameterSetName = 'AzureCli')]
        [switch] $UseAzureCli,

        [Parameter(Mandatory, ParameterSetName = 'AzureDeveloperCli')]
        [switch] $UseAzureDeveloperCli,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipalCertificate')]
        [switch] $ServicePrincipal,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipalCertificate')]
        [Parameter(ParameterSetName = 'FederatedToken')]
        [string] $ApplicationId,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [System.Security.SecureString] $ClientSecret,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipalCertificate')]
        [string] $CertificatePath,

        [Parameter(ParameterSetName = 'ServicePrincipalCertificate')]
        [System.Security.SecureString] $CertificatePassword,

        [Parameter(Mandatory, ParameterSetName = 'FederatedToken')]
        [string] $FederatedTokenFile,

        [Parameter(Mandatory, ParameterSetName = 'Identity')]
        [switch] $Identity,

        [Parameter(Mandatory, ParameterSetName = 'DeviceCode')]
        [switch] $UseDeviceAuthentication,

        [Parameter(ParameterSetName = 'Identity')]
        [string] $ClientId,

        [Parameter(ParameterSetName = 'AccessToken')]
        [Parameter(ParameterSetName = 'AzureCli')]
        [Parameter(ParameterSetName = 'AzureDeveloperCli')]
        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipalCertificate')]
        [Parameter(ParameterSetName = 'FederatedToken')]
        [Parameter(ParameterSetName = 'DeviceCode')]
        [string] $TenantId,

        [string] $SubscriptionId,

        [ValidateSet('AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment')]
        [string] $Environment = 'AzureCloud',

        [string] $ArmEndpoint,

        [string] $AuthorityHost,

        [string] $Audience,

        [string] $CaCertificatePath
    )

    $clouds = @{
        AzureCloud        = @{ Arm = 'https://management.azure.com'; Authority = 'https://login.microsoftonline.com'; Audience = 'https://management.azure.com/' }
        AzureChinaCloud   = @{ Arm = 'https://management.chinacloudapi.cn'; Authority = 'https://login.chinacloudapi.cn'; Audience = 'https://management.chinacloudapi.cn/' }
        AzureUSGovernment = @{ Arm = 'https://management.usgovcloudapi.net'; Authority = 'https://login.microsoftonline.us'; Audience = 'https://management.usgovcloudapi.net/' }
    }
    $cloud = $clouds[$Environment]
    $environmentName = $Environment
    $arm = $cloud.Arm
    $authority = $cloud.Authority
    $tokenAudience = $cloud.Audience
    if ($ArmEndpoint) {
        $arm = $ArmEndpoint.TrimEnd('/')
        $environmentName = 'Custom'
        if (-not $Audience) {
            $record = New-AibErrorRecord -Message 'A custom -ArmEndpoint needs -Audience: the token audience of that endpoint.' -Field 'Audience' -Target $ArmEndpoint
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
    if ($AuthorityHost) {
        $authority = $AuthorityHost.TrimEnd('/')
    }
    if ($Audience) {
        $tokenAudience = $Audience
    }
    foreach ($pair in @(@('ArmEndpoint', $arm), @('AuthorityHost', $authority))) {
        $uri = $null
        if (-not [System.Uri]::TryCreate([string]$pair[1], [System.UriKind]::Absolute, [ref]$uri) -or $uri.Scheme -ne 'https') {
            $record = New-AibErrorRecord -Message "$($pair[0]) must be an absolute https URL; got '$($pair[1])'." -Field $pair[0] -Target $pair[1]
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
    $caPath = $null
    if ($CaCertificatePath) {
        $caPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($CaCertificatePath)
        if (-not (Test-Path -LiteralPath $caPath -PathType Leaf)) {
            $record = New-AibErrorRecord -Message "CaCertificatePath '$caPath' is not a file." -Field 'CaCertificatePath' -Target $caPath
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }
    foreach ($pair in @(@('TenantId', $TenantId), @('SubscriptionId', $SubscriptionId), @('ApplicationId', $ApplicationId))) {
        if ($pair[1] -and -not (Test-AibGuid -Value $pair[1])) {
            $record = New-AibErrorRecord -Message "$($pair[0]) must be a GUID; got '$($pair[1])'." -Field $pair[0] -Target $pair[1]
            $PSCmdlet.ThrowTerminatingError($record)
        }
    }

    $setName = $PSCmdlet.ParameterSetName
    $tokenExpiresOn = $null
    switch ($setName) {
        'AccessToken' {
            if ($AccessToken -is [System.Security.SecureString]) {
                $tokenText = ConvertFrom-AibSecureString -SecureString $AccessToken
            } elseif ($AccessToken -is [string]) {
                $tokenText = $AccessToken
            } else {
                $record = New-AibErrorRecord -Message 'AccessToken must be a string or a SecureString.' -Field 'AccessToken' -Target $null
                $PSCmdlet.ThrowTerminatingError($record)
            }
            if (-not $tokenText) {
                $record = New-AibErrorRecord -Message 'AccessToken is empty.' -Field 'AccessToken' -Target $null
                $PSCmdlet.ThrowTerminatingError($record)
            }
            $credential = @{ kind = 'accessToken'; token = $tokenText }
            $account = 'AccessToken'
            $kind = 'AccessToken'
        }
        'AzContext' {
            $azToken = Get-AibAzContextToken -Audience $tokenAudience -TenantId $TenantId -Cmdlet $PSCmdlet
            $credential = @{ kind = 'accessToken'; token = $azToken.Token; expiresOn = $azToken.ExpiresOnUnix }
            $tokenExpiresOn = $azToken.ExpiresOn
            $account = $azToken.Account
            $kind = 'AzContext'
            if (-not $TenantId) { $TenantId = $azToken.TenantId }
            if (-not $SubscriptionId) { $SubscriptionId = $azToken.SubscriptionId }
        }
        'AzureCli' {
            $tool = Resolve-AibCommandLineTool -Name 'az' -Field 'UseAzureCli' -Cmdlet $PSCmdlet
            $credential = @{ kind = 'azureCli'; executable = $tool; tenantId = $(if ($TenantId) { $TenantId } else { $null }) }
            $account = 'AzureCli'
            $kind = 'AzureCli'
        }
        'AzureDeveloperCli' {
            $tool = Resolve-AibCommandLineTool -Name 'azd' -Field 'UseAzureDeveloperCli' -Cmdlet $PSCmdlet
            $credential = @{ kind = 'azureDeveloperCli'; executable = $tool; tenantId = $(if ($TenantId) { $TenantId } else { $null }) }
            $account = 'AzureDeveloperCli'
            $kind = 'AzureDeveloperCli'
        }
        'ServicePrincipal' {
            $credential = @{
                kind         = 'clientSecret'
                tenantId     = $TenantId
                clientId     = $ApplicationId
                clientSecret = ConvertFrom-AibSecureString -SecureString $ClientSecret
            }
            $account = $ApplicationId
            $kind = 'ServicePrincipal'
        }
        'ServicePrincipalCertificate' {
            $certificate = Resolve-AibCertificate -Path $CertificatePath -Password $CertificatePassword -Cmdlet $PSCmdlet
            $credential = @{ kind = 'clientCertificate'; tenantId = $TenantId; clientId = $ApplicationId } + $certificate
            $account = $ApplicationId
            $kind = 'ServicePrincipalCertificate'
        }
        'FederatedToken' {
            if (-not $TenantId) { $TenantId = $env:AZURE_TENANT_ID }
            if (-not $ApplicationId) { $ApplicationId = $env:AZURE_CLIENT_ID }
            foreach ($pair in @(@('TenantId', $TenantId, 'AZURE_TENANT_ID'), @('ApplicationId', $ApplicationId, 'AZURE_CLIENT_ID'))) {
                if (-not $pair[1]) {
                    $message = "-FederatedTokenFile needs -$($pair[0]) or `$env:$($pair[2])."
                    $PSCmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field $pair[0] -Target $null))
                }
                if (-not (Test-AibGuid -Value $pair[1])) {
                    $message = "$($pair[0]) must be a GUID; got '$($pair[1])'."
                    $PSCmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field $pair[0] -Target $pair[1]))
                }
            }
            $tokenFile = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($FederatedTokenFile)
            if (-not (Test-Path -LiteralPath $tokenFile -PathType Leaf)) {
                $record = New-AibErrorRecord -Message "FederatedTokenFile '$tokenFile' is not a file." -Field 'FederatedTokenFile' -Target $tokenFile
                $PSCmdlet.ThrowTerminatingError($record)
            }
            $credential = @{ kind = 'workloadIdentity'; tenantId = $TenantId; clientId = $ApplicationId; tokenFile = $tokenFile }
            $account = $ApplicationId
            $kind = 'WorkloadIdentity'
        }
        'DeviceCode' {
            $deviceTenant = $(if ($TenantId) { $TenantId } else { 'organizations' })
            $credential = @{ kind = 'deviceCode'; tenantId = $deviceTenant }
            $account = 'DeviceCode'
            $kind = 'DeviceCode'
        }
        'Identity' {
            if (-not $env:IDENTITY_ENDPOINT -or -not $env:IDENTITY_HEADER) {
                $message = '-Identity needs the App Service style managed identity endpoint ($env:IDENTITY_ENDPOINT and $env:IDENTITY_HEADER); the virtual machine endpoint (IMDS) is not supported.'
                $PSCmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'Identity' -Target $null))
            }
            if ($ClientId -and -not (Test-AibGuid -Value $ClientId)) {
                $record = New-AibErrorRecord -Message "ClientId must be a GUID; got '$ClientId'." -Field 'ClientId' -Target $ClientId
                $PSCmdlet.ThrowTerminatingError($record)
            }
            $credential = @{
                kind           = 'managedIdentity'
                endpoint       = $env:IDENTITY_ENDPOINT
                identityHeader = $env:IDENTITY_HEADER
                clientId       = $(if ($ClientId) { $ClientId } else { $null })
            }
            $account = $(if ($ClientId) { $ClientId } else { 'SystemAssigned' })
            $kind = 'ManagedIdentity'
        }
    }

    $config = [ordered]@{
        armEndpoint       = $arm
        authorityHost     = $authority
        audience          = $tokenAudience
        caCertificatePath = $caPath
        credential        = $credential
        # Debug records (one per HTTP call) reach Write-Debug; they are dropped unless -Debug.
        logLevel          = 'debug'
    }

    if (-not $PSCmdlet.ShouldProcess($arm, 'Connect')) {
        return
    }
    Write-Verbose "[Connect-AibAccount] connecting to $arm as $account ($kind)"
    try {
        $client = Invoke-AibNative -Operation 'client.new' -Request $config
    } catch [AibPermissions.NativeException] {
        $PSCmdlet.ThrowTerminatingError((New-AibErrorRecord -Exception $_.Exception -Target $arm))
    }

    if ($setName -eq 'DeviceCode') {
        $signedIn = $false
        try {
            Invoke-AibDeviceCodeSignIn -Client $client
            $signedIn = $true
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.ThrowTerminatingError((New-AibErrorRecord -Exception $_.Exception -Target $authority))
        } finally {
            if (-not $signedIn) {
                Invoke-AibNative -Operation 'client.free' -Request $client
            }
        }
    }

    Clear-AibSession
    $script:AibSession.Client = $client
    $script:AibSession.Context = [pscustomobject]@{
        PSTypeName     = 'AibPermissions.Context'
        Environment    = $environmentName
        ArmEndpoint    = $arm
        AuthorityHost  = $authority
        TenantId       = $TenantId
        SubscriptionId = $SubscriptionId
        Account        = $account
        CredentialKind = $kind
        TokenExpiresOn = $tokenExpiresOn
    }
    $script:AibSession.Context
}
