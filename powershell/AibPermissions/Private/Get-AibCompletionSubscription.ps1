function Get-AibCompletionSubscription {
    # The subscription a completion lists from: -SubscriptionId typed on the line, else the
    # connected context's.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [System.Collections.IDictionary] $FakeBoundParameters
    )

    if ($FakeBoundParameters -and $FakeBoundParameters['SubscriptionId']) {
        return [string]$FakeBoundParameters['SubscriptionId']
    }
    $context = $script:AibSession.Context
    if ($null -ne $context -and $context.PSObject.Properties['SubscriptionId'] -and $context.SubscriptionId) {
        return [string]$context.SubscriptionId
    }
    return $null
}
