function Resolve-AibSubscriptionId {
    # The subscription a command works in: the one given, else the connected context's.
    # Returns $null when neither exists; the caller reports that as bad input.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowEmptyString()]
        [AllowNull()]
        [string] $SubscriptionId
    )

    if ($SubscriptionId) {
        return $SubscriptionId
    }
    $context = $script:AibSession.Context
    if ($null -ne $context -and $context.SubscriptionId) {
        return [string]$context.SubscriptionId
    }
    return $null
}
