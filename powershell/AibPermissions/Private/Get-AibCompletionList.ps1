function Get-AibCompletionList {
    # The items of a list operation, read once per session and connection and then
    # served from the cache. Returns nothing when not connected or on any failure
    # (failures are not cached, so the next Tab tries again).
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [string] $Key,

        [Parameter(Mandatory)]
        [string] $Operation,

        [Parameter(Mandatory)]
        [hashtable] $Request
    )

    if ($script:AibSession.Client -eq [IntPtr]::Zero) { return }
    if (-not $script:AibSession.ContainsKey('CompletionCache') -or $null -eq $script:AibSession.CompletionCache) {
        $script:AibSession.CompletionCache = @{}
    }
    $context = $script:AibSession.Context
    $endpoint = ''
    if ($null -ne $context -and $context.PSObject.Properties['ArmEndpoint']) { $endpoint = [string]$context.ArmEndpoint }
    # A new connection has a new client handle, so it reads the lists afresh.
    $cacheKey = "$($script:AibSession.Client)|$endpoint|$Key"
    $cache = $script:AibSession.CompletionCache
    if (-not $cache.ContainsKey($cacheKey)) {
        try {
            $result = Invoke-AibNative -Operation $Operation -Request $Request -ErrorAction Stop
        } catch {
            return
        }
        $items = @()
        if ($null -ne $result -and $result.PSObject.Properties['value']) { $items = @($result.value) }
        $cache[$cacheKey] = $items
    }
    $cache[$cacheKey]
}
