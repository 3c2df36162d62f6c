function Receive-AibNativeLog {
    # Drains the client's buffered log records: info to Verbose, debug and trace to Debug,
    # warn and error to Warning.
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [IntPtr] $Client
    )

    $bytes = $null
    if ([AibPermissions.NativeMethods]::ClientTakeLog($Client, [ref]$bytes) -ne 0) {
        return
    }
    if ($null -eq $bytes -or $bytes.Length -eq 0) {
        return
    }
    $text = [System.Text.Encoding]::UTF8.GetString($bytes)
    foreach ($line in $text -split "`n") {
        if (-not $line.Trim()) {
            continue
        }
        $record = $line | ConvertFrom-Json
        $message = "[aibperm] $($record.message)"
        switch ([string]$record.level) {
            'info' { Write-Verbose $message }
            'warn' { Write-Warning $message }
            'error' { Write-Warning $message }
            default { Write-Debug $message }
        }
    }
}
