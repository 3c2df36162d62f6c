function Clear-AibSession {
    # Frees the native client and forgets the connected context.
    [CmdletBinding()]
    param ()

    $client = $script:AibSession.Client
    $script:AibSession.Client = [IntPtr]::Zero
    $script:AibSession.Context = $null
    if ($client -ne [IntPtr]::Zero) {
        Invoke-AibNative -Operation 'client.free' -Request $client
    }
}
