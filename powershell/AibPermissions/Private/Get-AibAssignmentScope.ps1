function Get-AibAssignmentScope {
    # The scope text of the role assignment commands' scope parameter sets, as Az builds it:
    # -Scope as given; -ResourceGroupName [-ResourceName -ResourceType [-ParentResource]] below
    # the subscription; neither: the subscription. Returns $null after writing an error on
    # the caller when the input cannot make a scope.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Caller,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $Scope,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $SubscriptionId,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $ResourceGroupName,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $ResourceName,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $ResourceType,

        [AllowEmptyString()]
        [AllowNull()]
        [string] $ParentResource,

        [switch] $ScopeGiven
    )

    if ($ScopeGiven) {
        return $Scope
    }
    $subscription = Resolve-AibSubscriptionId -SubscriptionId $SubscriptionId
    if (-not (Test-AibGuid -Value $subscription)) {
        $Caller.WriteError((New-AibErrorRecord -Message "SubscriptionId must be a GUID; pass -SubscriptionId or connect with one. Got '$subscription'." -Field 'SubscriptionId' -Target $subscription))
        return $null
    }
    $text = "/subscriptions/$subscription"
    if ($ResourceGroupName) {
        $text += "/resourceGroups/$ResourceGroupName"
    }
    if (($ResourceName -or $ParentResource) -and -not $ResourceType) {
        $Caller.WriteError((New-AibErrorRecord -Message 'ResourceName and ParentResource need -ResourceType, such as Microsoft.Compute/galleries.' -Field 'ResourceType' -Target $ResourceName))
        return $null
    }
    if ($ResourceType -and -not $ResourceName) {
        $Caller.WriteError((New-AibErrorRecord -Message 'ResourceType needs -ResourceName.' -Field 'ResourceName' -Target $ResourceType))
        return $null
    }
    if ($ResourceName) {
        # Az: -ResourceType 'Microsoft.Network/virtualNetworks/subnets' -ParentResource
        # 'virtualNetworks/vnet' names .../providers/Microsoft.Network/virtualNetworks/vnet/subnets/<name>.
        $typeParts = @(([string]$ResourceType).Trim('/') -split '/' | Where-Object { $_ })
        if ($typeParts.Count -lt 2) {
            $Caller.WriteError((New-AibErrorRecord -Message "ResourceType must be '<namespace>/<type>', such as 'Microsoft.Compute/galleries'; got '$ResourceType'." -Field 'ResourceType' -Target $ResourceType))
            return $null
        }
        $text += "/providers/$($typeParts[0])"
        if ($ParentResource) {
            $text += '/' + $ParentResource.Trim('/') + '/' + $typeParts[-1]
        } else {
            $text += '/' + (($typeParts | Select-Object -Skip 1) -join '/')
        }
        $text += "/$ResourceName"
    }
    $text
}
