function Start-AibEmulator {
    <#
    .SYNOPSIS
        Starts the local ARM and Entra ID emulator and connects the session to it.

    .DESCRIPTION
        Start-AibEmulator runs aibperm-emulator, a local stand-in for Azure Resource Manager and
        Entra ID that listens on 127.0.0.1 over HTTPS with its own certificate authority. It
        waits for the emulator's state file, then connects the session as the emulator's
        service principal (the secret is read from the state file and never shown). Use it to
        rehearse scripts and to run the tests without Azure. The binary is found with -Path,
        else the AIBPERM_EMULATOR_PATH environment variable, else bin/<rid>/ in the module.

    .PARAMETER Path
        The aibperm-emulator executable to run.

    .PARAMETER Port
        The loopback port to listen on; 0 (default) picks a free one.

    .PARAMETER StateFile
        Where the emulator writes its state file (endpoint, CA path, tenant, subscription,
        credentials). Defaults to a new file in the temporary folder.

    .PARAMETER TimeoutSeconds
        How long to wait for the emulator to start. Default 30.

    .PARAMETER ReplicationDelaySeconds
        Seconds a new identity's principal stays unknown to role assignments (ARM answers
        PrincipalNotFound meanwhile), to rehearse the replication wait.

    .PARAMETER RoleVisibilityDelaySeconds
        Seconds a new role definition stays missing from reads and name filters.

    .PARAMETER WritesPerMinute
        ARM writes allowed per minute; more are answered 429 with Retry-After. 0: no limit.

    .PARAMETER ReadsPerMinute
        ARM reads allowed per minute; more are answered 429 with Retry-After. 0: no limit.

    .PARAMETER TransientFailureRate
        Probability, from 0 to 1, that an ARM request is answered 500 or 503.

    .PARAMETER FaultSeed
        Seed for the probabilistic faults, so a run can be repeated exactly.

    .PARAMETER TokenLifetimeSeconds
        Lifetime of the access tokens the emulator issues, to rehearse token refresh.

    .EXAMPLE
        $emulator = Start-AibEmulator
        New-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images' `
            -SubscriptionId $emulator.SubscriptionId

        Starts the emulator and creates an identity in it.

    .EXAMPLE
        Start-AibEmulator -Path ./target/release/aibperm-emulator -Port 8443 `
            -StateFile ./emulator.json

        Starts a freshly built emulator on a fixed port with a known state file.

    .EXAMPLE
        Start-AibEmulator -ReplicationDelaySeconds 20 -WritesPerMinute 30

        Starts an emulator that makes new identities wait 20 seconds before they
        can be assigned roles and throttles writes, as Azure does under load.

    .OUTPUTS
        AibPermissions.Emulator. StateFilePath, Endpoint, SubscriptionId, TenantId and ProcessId.

    .LINK
        Stop-AibEmulator

    .LINK
        Connect-AibAccount
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('AibPermissions.Emulator')]
    param (
        [string] $Path,

        [ValidateRange(0, 65535)]
        [int] $Port = 0,

        [string] $StateFile,

        [ValidateRange(1, 600)]
        [int] $TimeoutSeconds = 30,

        [ValidateRange(0, 86400)]
        [int] $ReplicationDelaySeconds,

        [ValidateRange(0, 86400)]
        [int] $RoleVisibilityDelaySeconds,

        [ValidateRange(0, 1000000)]
        [int] $WritesPerMinute,

        [ValidateRange(0, 1000000)]
        [int] $ReadsPerMinute,

        [ValidateRange(0.0, 1.0)]
        [double] $TransientFailureRate,

        [ValidateRange(0, [int]::MaxValue)]
        [int] $FaultSeed,

        [ValidateRange(1, 86400)]
        [int] $TokenLifetimeSeconds
    )

    $binary = Get-AibEmulatorPath -Path $Path -ModuleRoot $script:AibModuleRoot
    $binary = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($binary)
    if (-not (Test-Path -LiteralPath $binary -PathType Leaf)) {
        $exception = New-Object -TypeName System.IO.FileNotFoundException -ArgumentList "The emulator was not found at '$binary'. Build it with 'pwsh ./build.ps1 build', or pass -Path or set AIBPERM_EMULATOR_PATH.", $binary
        $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'EmulatorNotFound', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $binary))
    }
    if (-not $StateFile) {
        $StateFile = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ("aibperm-emulator-{0}.json" -f [guid]::NewGuid().ToString('N'))
    }
    $statePath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($StateFile)
    if (Test-Path -LiteralPath $statePath) {
        Remove-Item -LiteralPath $statePath -Force
    }

    if (-not $PSCmdlet.ShouldProcess($binary, "Start emulator on 127.0.0.1 port $Port")) {
        return
    }
    $logPath = [System.IO.Path]::ChangeExtension($statePath, '.log')
    $startArguments = @('--port', [string]$Port, '--state-file', ('"{0}"' -f $statePath))
    $faultFlags = [ordered]@{
        ReplicationDelaySeconds    = '--replication-delay-seconds'
        RoleVisibilityDelaySeconds = '--role-visibility-delay-seconds'
        WritesPerMinute            = '--writes-per-minute'
        ReadsPerMinute             = '--reads-per-minute'
        TransientFailureRate       = '--transient-failure-rate'
        FaultSeed                  = '--fault-seed'
        TokenLifetimeSeconds       = '--token-lifetime-seconds'
    }
    foreach ($name in $faultFlags.Keys) {
        if ($PSBoundParameters.ContainsKey($name)) {
            $value = [System.Convert]::ToString($PSBoundParameters[$name], [System.Globalization.CultureInfo]::InvariantCulture)
            $startArguments += @($faultFlags[$name], $value)
        }
    }
    $startSplat = @{
        FilePath               = $binary
        ArgumentList           = $startArguments
        RedirectStandardOutput = $logPath
        RedirectStandardError  = "$logPath.err"
        PassThru               = $true
    }
    if ((Get-AibPlatformInfo).Platform -eq 'Windows') {
        $startSplat.WindowStyle = 'Hidden'
    }
    Write-Verbose "[Start-AibEmulator] starting $binary (state file $statePath)"
    $process = Start-Process @startSplat

    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $state = $null
    try {
        while ($null -eq $state) {
            if (Test-Path -LiteralPath $statePath) {
                $state = Get-Content -LiteralPath $statePath -Raw | ConvertFrom-Json
                break
            }
            if ($process.HasExited) {
                $tail = ''
                if (Test-Path -LiteralPath "$logPath.err") {
                    $tail = (Get-Content -LiteralPath "$logPath.err" -Tail 5) -join ' | '
                }
                throw "The emulator exited with code $($process.ExitCode) before it was ready. $tail"
            }
            if ($watch.Elapsed.TotalSeconds -ge $TimeoutSeconds) {
                throw "The emulator did not write '$statePath' within $TimeoutSeconds s."
            }
            if ($watch.Elapsed.TotalSeconds -ge 1) {
                Write-Progress -Activity 'Starting the emulator' -Status ('waiting for {0} ({1:N0} s)' -f $statePath, $watch.Elapsed.TotalSeconds)
            }
            Start-Sleep -Milliseconds 100
        }
    } catch {
        if (-not $process.HasExited) {
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        }
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList ([string]$_)
        $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'EmulatorStartFailed', ([System.Management.Automation.ErrorCategory]::OperationTimeout), $binary))
    } finally {
        Write-Progress -Activity 'Starting the emulator' -Completed
    }

    $secret = New-Object -TypeName System.Security.SecureString
    foreach ($character in ([string]$state.clientSecret).ToCharArray()) {
        $secret.AppendChar($character)
    }
    $connectSplat = @{
        ServicePrincipal  = $true
        TenantId          = $state.tenantId
        ApplicationId     = $state.clientId
        ClientSecret      = $secret
        SubscriptionId    = $state.subscriptionId
        ArmEndpoint       = $state.endpoint
        AuthorityHost     = $state.authorityHost
        Audience          = $state.audience
        CaCertificatePath = $state.caCertificatePath
        Confirm           = $false
        WhatIf            = $false
    }
    try {
        $null = Connect-AibAccount @connectSplat
    } catch {
        Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
        throw
    }

    $emulator = [pscustomobject]@{
        PSTypeName      = 'AibPermissions.Emulator'
        StateFilePath   = $statePath
        Endpoint        = $state.endpoint
        SubscriptionId  = $state.subscriptionId
        TenantId        = $state.tenantId
        ProcessId       = $process.Id
        ControlEndpoint = $state.controlEndpoint
        CaCertificatePath = $state.caCertificatePath
    }
    $script:AibSession.Emulator = $emulator
    $emulator
}
