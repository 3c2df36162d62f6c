function Stop-AibEmulator {
    <#
    .SYNOPSIS
        Stops an emulator started by Start-AibEmulator.

    .DESCRIPTION
        Stop-AibEmulator asks the emulator process to stop cleanly (it then removes its state
        file), ends it if it does not stop within a few seconds, and disconnects the session
        when the session is connected to it. Without parameters it stops the emulator this
        session started.

    .PARAMETER ProcessId
        The emulator's process id, as in the ProcessId property of Start-AibEmulator's output.

    .PARAMETER StateFilePath
        The emulator's state file, removed if the emulator left it behind.

    .EXAMPLE
        Stop-AibEmulator

        Stops the emulator that the current session started and disconnects from it.

    .EXAMPLE
        $emulator = Start-AibEmulator
        $emulator | Stop-AibEmulator

        Stops a particular emulator; the pipeline binds its ProcessId and
        StateFilePath.

    .OUTPUTS
        None.

    .LINK
        Start-AibEmulator
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType([void])]
    param (
        [Parameter(ValueFromPipelineByPropertyName)]
        [int] $ProcessId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StateFilePath
    )

    process {
        $known = $script:AibSession.Emulator
        if (-not $PSBoundParameters.ContainsKey('ProcessId')) {
            if ($null -eq $known) {
                Write-Verbose '[Stop-AibEmulator] no emulator was started in the current session'
                return
            }
            $ProcessId = $known.ProcessId
            $StateFilePath = $known.StateFilePath
        }
        if (-not $PSCmdlet.ShouldProcess("emulator process $ProcessId", 'Stop')) {
            return
        }

        $process = Get-Process -Id $ProcessId -ErrorAction SilentlyContinue
        if ($null -ne $process) {
            Write-Verbose "[Stop-AibEmulator] stopping process $ProcessId"
            $stopped = $false
            if ((Get-AibPlatformInfo).Platform -ne 'Windows') {
                # SIGTERM lets the emulator remove its state file; Process.Kill would not.
                $kill = Get-Command -Name kill -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
                if ($null -ne $kill) {
                    & $kill.Source -TERM $ProcessId
                    $stopped = $process.WaitForExit(5000)
                }
            }
            if (-not $stopped) {
                Stop-Process -Id $ProcessId -Force -ErrorAction SilentlyContinue
                $null = $process.WaitForExit(5000)
            }
        }
        if ($StateFilePath -and (Test-Path -LiteralPath $StateFilePath)) {
            Remove-Item -LiteralPath $StateFilePath -Force
        }

        if ($null -ne $known -and $known.ProcessId -eq $ProcessId) {
            $context = $script:AibSession.Context
            if ($null -ne $context -and $context.ArmEndpoint -eq ([string]$known.Endpoint).TrimEnd('/')) {
                Clear-AibSession
            }
            $script:AibSession.Emulator = $null
        }
    }
}
