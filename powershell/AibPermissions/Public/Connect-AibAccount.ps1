function Connect-AibAccount {
    <#
    .SYNOPSIS
        Connects the session to Azure Resource Manager with an access token or a service principal.

    .DESCRIPTION
        Connect-AibAccount builds the native client that every other command of the module uses.
        Choose a credential: -AccessToken (a bearer token you already hold, as a string or a
        SecureString) or -ServicePrincipal with -TenantId, -ApplicationId and -ClientSecret.
        Choose where to connect: -Environment for a public cloud, or -ArmEndpoint with
        -AuthorityHost (and -Audience, -CaCertificatePath) for a custom cloud or the local
        emulator. A previous connection is closed first. The returned context holds no secret.

    .PARAMETER AccessToken
        A bearer token for Azure Resource Manager, as a string or a SecureString. Use it when
        another tool (Az PowerShell, the Azure CLI) already signed you in.

    .PARAMETER ServicePrincipal
        Signs in as a service principal with a client secret. Use with -TenantId,
        -ApplicationId and -ClientSecret.

    .PARAMETER ApplicationId
        The application (client) id of the service principal.

    .PARAMETER ClientSecret
        The client secret of the service principal, as a SecureString.

    .PARAMETER TenantId
        The Entra ID tenant. Mandatory with -ServicePrincipal; informational with -AccessToken.

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
        $token = (Get-AzAccessToken -AsSecureString).Token
        Connect-AibAccount -AccessToken $token `
            -SubscriptionId '00000000-0000-0000-0000-000000000001'

        Reuses a token from Az PowerShell and sets the default subscription.

    .EXAMPLE
        $secret = Read-Host -AsSecureString -Prompt 'Client secret'
        Connect-AibAccount -ServicePrincipal -TenantId $tenantId `
            -ApplicationId $appId -ClientSecret $secret `
            -Environment AzureUSGovernment

        Signs in as a service principal to Azure US Government.

    .OUTPUTS
        AibPermissions.Context. Environment, ArmEndpoint, AuthorityHost, TenantId, SubscriptionId,
        Account and CredentialKind; never a token or secret.

    .LINK
        Disconnect-AibAccount

    .LINK
        Get-AibContext
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low', DefaultParameterSetName = 'AccessToken')]
    [OutputType('AibPermissions.Context')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'AccessToken')]
        [object] $AccessToken,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [switch] $ServicePrincipal,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [string] $ApplicationId,

        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
        [System.Security.SecureString] $ClientSecret,

        [Parameter(ParameterSetName = 'AccessToken')]
        [Parameter(Mandatory, ParameterSetName = 'ServicePrincipal')]
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

    if ($PSCmdlet.ParameterSetName -eq 'AccessToken') {
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
    } else {
        $credential = @{
            kind         = 'clientSecret'
            tenantId     = $TenantId
            clientId     = $ApplicationId
            clientSecret = ConvertFrom-AibSecureString -SecureString $ClientSecret
        }
        $account = $ApplicationId
        $kind = 'ServicePrincipal'
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
    }
    $script:AibSession.Context
}
