function Invoke-AibNative {
    # The one way into the native library. Offline exports are called directly; ARM
    # operations are started on the session's client and polled in short waits so that
    # Ctrl+C and Write-Progress keep working. A non-OK status throws
    # AibPermissions.NativeException.
    [CmdletBinding()]
    param (
        # An operation name from docs/native-interface.md ('identity.createOrUpdate'), an
        # offline export ('role_generate', 'role_file_parse', 'role_file_render', 'scope_parse'
        # with -Offline), or 'client.new' / 'client.free'.
        [Parameter(Mandatory)]
        [string] $Operation,

        [AllowNull()]
        [object] $Request,

        # Raw request bytes (role_file_parse takes a file's bytes).
        [byte[]] $RequestBytes,

        [switch] $Offline,

        # Returns the result bytes instead of decoding JSON (role_file_render).
        [switch] $Raw,

        # What the user waits for, shown by Write-Progress.
        [string] $Activity
    )

    if ($PSBoundParameters.ContainsKey('RequestBytes')) {
        $bytes = $RequestBytes
    } elseif ($null -ne $Request) {
        $json = ConvertTo-Json -InputObject $Request -Depth 20 -Compress
        $bytes = (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($json)
    } else {
        $bytes = [System.Text.Encoding]::UTF8.GetBytes('{}')
    }

    if ($Operation -eq 'client.new') {
        $client = [IntPtr]::Zero
        $errorJson = $null
        $status = [AibPermissions.NativeMethods]::ClientNew($bytes, [ref]$client, [ref]$errorJson)
        [System.Array]::Clear($bytes, 0, $bytes.Length)
        if ($status -ne 0) {
            throw (New-AibNativeException -Status $status -ErrorJson $errorJson -Operation 'creating the client')
        }
        return $client
    }
    if ($Operation -eq 'client.free') {
        [AibPermissions.NativeMethods]::ClientFree([IntPtr]$Request)
        return
    }

    if ($Offline) {
        $result = $null
        $errorJson = $null
        $status = [AibPermissions.NativeMethods]::CallOffline("aibperm_$Operation", $bytes, [ref]$result, [ref]$errorJson)
        if ($status -ne 0) {
            throw (New-AibNativeException -Status $status -ErrorJson $errorJson -Operation $Operation)
        }
        if ($Raw) {
            # One byte[] object, not a stream of bytes.
            return , $result
        }
        return (ConvertFrom-AibNativeResult -Bytes $result)
    }

    $client = $script:AibSession.Client
    if ($client -eq [IntPtr]::Zero) {
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList 'Not connected. Run Connect-AibAccount (or Start-AibEmulator) first.'
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'NotConnected', ([System.Management.Automation.ErrorCategory]::AuthenticationError), $Operation
        throw $record
    }
    if (-not $Activity) {
        $Activity = "Azure: $Operation"
    }

    $handle = [IntPtr]::Zero
    $errorJson = $null
    $status = [AibPermissions.NativeMethods]::OperationStart($client, $Operation, $bytes, [ref]$handle, [ref]$errorJson)
    if ($status -ne 0) {
        Receive-AibNativeLog -Client $client
        throw (New-AibNativeException -Status $status -ErrorJson $errorJson -Operation $Operation)
    }

    $finished = $false
    $progressShown = $false
    $lastMessage = 'started'
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        while ($true) {
            $status = [AibPermissions.NativeMethods]::OperationWait($handle, 250)
            Receive-AibNativeLog -Client $client
            if ($status -ne 1) {
                break
            }
            $progress = $null
            if ([AibPermissions.NativeMethods]::OperationProgress($handle, [ref]$progress) -eq 0) {
                $state = ConvertFrom-AibNativeResult -Bytes $progress
                if ($null -ne $state -and $state.PSObject.Properties['message'] -and $state.message) {
                    $lastMessage = [string]$state.message
                }
                if ($watch.Elapsed.TotalSeconds -ge 1 -and $null -ne $state) {
                    $attempt = 0
                    $waited = $watch.Elapsed.TotalSeconds
                    if ($state.PSObject.Properties['attempt']) { $attempt = $state.attempt }
                    if ($state.PSObject.Properties['secondsWaited'] -and $null -ne $state.secondsWaited) { $waited = $state.secondsWaited }
                    $statusText = '{0} (attempt {1}, {2:N0} s waited)' -f $lastMessage, $attempt, $waited
                    Write-Progress -Activity $Activity -Status $statusText
                    $progressShown = $true
                }
            }
        }
        if ($status -ne 0) {
            throw (New-AibNativeException -Status $status -ErrorJson $null -Operation $Operation)
        }

        $result = $null
        $errorJson = $null
        $status = [AibPermissions.NativeMethods]::OperationResult($handle, [ref]$result, [ref]$errorJson)
        $finished = $true
        Receive-AibNativeLog -Client $client
        if ($status -ne 0) {
            throw (New-AibNativeException -Status $status -ErrorJson $errorJson -Operation $Operation)
        }
        ConvertFrom-AibNativeResult -Bytes $result
    } finally {
        if (-not $finished) {
            # Stopped (Ctrl+C) or failed while running: cancel so nothing keeps going unseen.
            $null = [AibPermissions.NativeMethods]::OperationCancel($handle)
            $null = [AibPermissions.NativeMethods]::OperationWait($handle, 1000)
            $note = "[$Operation] stopped after $([int]$watch.Elapsed.TotalSeconds) s; last step: $lastMessage. Run the command again: it converges on what already exists."
            try {
                Write-Warning $note
            } catch {
                # A stopping pipeline (Ctrl+C) refuses stream writes; the host still shows the line.
                try {
                    $Host.UI.WriteWarningLine($note)
                } catch {
                    # A host without a user interface has nowhere to show it.
                    $null = $_
                }
            }
        }
        [AibPermissions.NativeMethods]::OperationFree($handle)
        if ($progressShown) {
            try {
                Write-Progress -Activity $Activity -Completed
            } catch {
                # A stopping pipeline refuses the write; the host clears the bar itself.
                $null = $_
            }
        }
    }
}
