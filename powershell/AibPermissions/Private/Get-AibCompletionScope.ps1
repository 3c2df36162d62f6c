function Get-AibCompletionScope {
    # The scope whose role definitions -RoleDefinitionName completes: -Scope, else the
    # resource group typed on the line, else the subscription.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [System.Collections.IDictionary] $FakeBoundParameters
    )

    if ($FakeBoundParameters -and $FakeBoundParameters['Scope']) {
        return ([string]$FakeBoundParameters['Scope']).TrimEnd('/')
    }
    $sub = Get-AibCompletionSubscription -FakeBoundParameters $FakeBoundParameters
    if (-not $sub) { return $null }
    if ($FakeBoundParameters -and $FakeBoundParameters['ResourceGroupName']) {
        return "/subscriptions/$sub/resourceGroups/$([string]$FakeBoundParameters['ResourceGroupName'])"
    }
    return "/subscriptions/$sub"
}
