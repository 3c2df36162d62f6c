# Shared by the integration tests: the staged module against a real emulator.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Module commands do not see the caller's preference variables; make their errors terminate.
$PSDefaultParameterValues = @{ '*-Aib*:ErrorAction' = 'Stop' }
Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1') -Force

function Get-EmulatorState {
    # The emulator's whole state from its control endpoint, TLS checked against its own CA.
    param ([Parameter(Mandatory)] [object] $Emulator)
    $curl = Get-Command -Name curl -CommandType Application | Select-Object -First 1
    $json = & $curl.Source --silent --show-error --fail --cacert $Emulator.CaCertificatePath "$($Emulator.ControlEndpoint)/state"
    if ($LASTEXITCODE -ne 0) {
        throw "reading $($Emulator.ControlEndpoint)/state failed with curl exit code $LASTEXITCODE"
    }
    ($json -join "`n") | ConvertFrom-Json
}

function New-TestResourceGroup {
    # Resource groups are set up through the library's setup operation.
    param (
        [Parameter(Mandatory)] [string] $SubscriptionId,
        [Parameter(Mandatory)] [string] $Name
    )
    InModuleScope -ModuleName AibPermissions -Parameters @{ Sub = $SubscriptionId; Rg = $Name } {
        param ($Sub, $Rg)
        $null = Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = $Sub; resourceGroupName = $Rg; location = 'westus2' }
    }
}

function Start-AibRunspaceCommand {
    # Runs a script in a second runspace of this process, connected to the emulator as its own
    # session, and returns the running PowerShell instance: its streams (progress, warnings)
    # can be read and Stop() does what Ctrl+C does.
    param (
        [Parameter(Mandatory)] [object] $Emulator,
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Arguments = @{}
    )
    $state = Get-Content -LiteralPath $Emulator.StateFilePath -Raw | ConvertFrom-Json
    $prologue = {
        param ($ModulePath, $State, $Arguments)
        $ErrorActionPreference = 'Stop'
        Import-Module -Name $ModulePath
        $secret = New-Object -TypeName System.Security.SecureString
        foreach ($c in ([string]$State.clientSecret).ToCharArray()) { $secret.AppendChar($c) }
        $splat = @{
            ServicePrincipal  = $true
            TenantId          = $State.tenantId
            ApplicationId     = $State.clientId
            ClientSecret      = $secret
            SubscriptionId    = $State.subscriptionId
            ArmEndpoint       = $State.endpoint
            AuthorityHost     = $State.authorityHost
            Audience          = $State.audience
            CaCertificatePath = $State.caCertificatePath
        }
        $null = Connect-AibAccount @splat
    }
    $ps = [powershell]::Create()
    $body = [scriptblock]::Create($prologue.ToString() + [Environment]::NewLine + $Script)
    $modulePath = Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1'
    $null = $ps.AddScript($body).AddParameter('ModulePath', $modulePath).AddParameter('State', $state).AddParameter('Arguments', $Arguments)
    $async = $ps.BeginInvoke()
    # EndInvoke needs the handle BeginInvoke returned; keep it with the instance.
    Add-Member -InputObject $ps -MemberType NoteProperty -Name 'AsyncResult' -Value $async
    $ps
}

function Wait-AibCondition {
    # Polls a condition until it holds or the limit passes; returns whether it held.
    param (
        [Parameter(Mandatory)] [scriptblock] $Condition,
        [int] $LimitSeconds = 60
    )
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    while ($watch.Elapsed.TotalSeconds -lt $LimitSeconds) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 100
    }
    return [bool](& $Condition)
}
