function Invoke-AibDeviceCodeSignIn {
    # Runs the credential.signIn operation on a new client: shows the device code and URL once
    # as a warning, waits with Write-Progress, and cancels the sign-in on Ctrl+C. Throws the
    # native exception when the sign-in fails.
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [IntPtr] $Client
    )

    $operation = 'credential.signIn'
    $activity = 'Device code sign-in'
    $bytes = [System.Text.Encoding]::UTF8.GetBytes('{}')
    $handle = [IntPtr]::Zero
    $errorJson = $null
    $status = [AibPermissions.NativeMethods]::OperationStart($Client, $operation, $bytes, [ref]$handle, [ref]$errorJson)
    if ($status -ne 0) {
        Receive-AibNativeLog -Client $Client
        throw (New-AibNativeException -Status $status -ErrorJson $errorJson -Operation $operation)
    }
    $finished = $false
    $shown = $false
    try {
        while ($true) {
            $status = [AibPermissions.NativeMethods]::OperationWait($handle, 250)
            Receive-AibNativeLog -Client $Client
            if ($status -ne 1) {
                break
            }
            $progress = $null
            if ([AibPermissions.NativeMethods]::OperationProgress($handle, [ref]$progress) -eq 0) {
                $state = ConvertFrom-AibNativeResult -Bytes $progress
                if ($null -ne $state -and $state.phase -eq 'waitingForDeviceCode') {
                    if (-not $shown) {
                        Write-Warning $state.message
                        $shown = $true
                    }
                    $statusText = 'waiting for approval ({0:N0} s)' -f [double]$state.secondsWaited
                    Write-Progress -Activity $activity -Status $statusText
                }
            }
        }
        if ($status -ne 0) {
            throw (New-AibNativeException -Status $status -ErrorJson $null -Operation $operation)
        }
        $result = $null
        $errorJson = $null
        $status = [AibPermissions.NativeMethods]::OperationResult($handle, [ref]$result, [ref]$errorJson)
        $finished = $true
        Receive-AibNativeLog -Client $Client
        if ($status -ne 0) {
            throw (New-AibNativeException -Status $status -ErrorJson $errorJson -Operation $operation)
        }
    } finally {
        if (-not $finished) {
            # Stopped (Ctrl+C): cancel so the library stops polling Entra ID.
            $null = [AibPermissions.NativeMethods]::OperationCancel($handle)
            $null = [AibPermissions.NativeMethods]::OperationWait($handle, 1000)
        }
        [AibPermissions.NativeMethods]::OperationFree($handle)
        if ($shown) {
            try {
                Write-Progress -Activity $activity -Completed
            } catch {
                # A stopping pipeline refuses the write; the host clears the bar itself.
                $null = $_
            }
        }
    }
}
