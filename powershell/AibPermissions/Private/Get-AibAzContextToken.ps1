function Get-AibAzContextToken {
    # A token of the signed-in Az PowerShell context for an audience, with its expiry, tenant,
    # subscription and account. Works with Az.Accounts that returns the token as a string or
    # (Az.Accounts 5 and later) as a SecureString. Throws a terminating error when Az.Accounts
    # is not loaded or not signed in.
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param (
        [Parameter(Mandatory)]
        [string] $Audience,

        [string] $TenantId,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $getToken = Get-Command -Name 'Get-AzAccessToken' -ErrorAction SilentlyContinue
    if ($null -eq $getToken) {
        $message = 'No token source was given and Az.Accounts is not loaded: run Connect-AzAccount, or pass -UseAzureCli, -ServicePrincipal, -Identity, -FederatedTokenFile or -AccessToken.'
        $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'UseAzContext' -Target $null))
    }
    $context = $null
    if (Get-Command -Name 'Get-AzContext' -ErrorAction SilentlyContinue) {
        $context = Get-AzContext
    }
    $splat = @{ ResourceUrl = $Audience; ErrorAction = 'Stop' }
    if ($TenantId) { $splat.TenantId = $TenantId }
    try {
        $answer = & $getToken @splat
    } catch {
        $message = "The Az PowerShell context gave no token; sign in with Connect-AzAccount. $($_.Exception.Message)"
        $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'UseAzContext' -Target $null))
    }
    if ($null -eq $answer -or $null -eq $answer.Token) {
        $message = 'The Az PowerShell context gave no token; sign in with Connect-AzAccount.'
        $Cmdlet.ThrowTerminatingError((New-AibErrorRecord -Message $message -Field 'UseAzContext' -Target $null))
    }
    $token = $answer.Token
    if ($token -is [System.Security.SecureString]) {
        $token = ConvertFrom-AibSecureString -SecureString $token
    }
    $expiresOn = $null
    $expiresOnUnix = $null
    if ($null -ne $answer.ExpiresOn) {
        $expiresOn = [System.DateTimeOffset]$answer.ExpiresOn
        $expiresOnUnix = $expiresOn.ToUnixTimeSeconds()
    }
    $tenant = $TenantId
    if (-not $tenant -and $answer.PSObject.Properties['TenantId']) { $tenant = [string]$answer.TenantId }
    $account = [string]$answer.UserId
    $subscription = $null
    if ($null -ne $context) {
        if (-not $tenant -and $context.Tenant) { $tenant = [string]$context.Tenant.Id }
        if ($context.Subscription) { $subscription = [string]$context.Subscription.Id }
        if (-not $account -and $context.Account) { $account = [string]$context.Account.Id }
    }
    [pscustomobject]@{
        Token          = [string]$token
        ExpiresOn      = $expiresOn
        ExpiresOnUnix  = $expiresOnUnix
        TenantId       = $(if ($tenant) { $tenant } else { $null })
        SubscriptionId = $(if ($subscription) { $subscription } else { $null })
        Account        = $(if ($account) { $account } else { 'AzContext' })
    }
}
