function ConvertTo-AibGrantPlan {
    # The plan request of grant.plan, grant.apply and permission.test from a command's bound
    # parameters and an optional plan file (JSON with the same field names, any casing).
    # Parameters win over the file. Bad input throws an ErrorRecord naming the field.
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param (
        [Parameter(Mandatory)]
        [System.Collections.IDictionary] $BoundParameters,

        [string] $PlanFile
    )

    $fields = 'subscriptionId', 'identityName', 'resourceGroupName', 'location', 'principalId',
    'imageResourceGroupName', 'galleryResourceGroupName', 'sourceResourceGroupName', 'sourceType',
    'virtualNetworkResourceGroupName', 'buildVmIdentityId', 'storageContainerId',
    'stagingResourceGroupName', 'replicationTimeoutSeconds'

    $plan = [ordered]@{}
    if ($PlanFile) {
        if (-not (Test-Path -LiteralPath $PlanFile -PathType Leaf)) {
            throw (New-AibErrorRecord -Message "Plan file '$PlanFile' does not exist." -Field 'PlanFile' -Target $PlanFile)
        }
        try {
            $content = Get-Content -LiteralPath $PlanFile -Raw -Encoding UTF8 | ConvertFrom-Json
        } catch {
            throw (New-AibErrorRecord -Message "Plan file '$PlanFile' is not JSON: $($_.Exception.Message)" -Field 'PlanFile' -Target $PlanFile)
        }
        if ($null -eq $content -or $content -isnot [System.Management.Automation.PSCustomObject]) {
            throw (New-AibErrorRecord -Message "Plan file '$PlanFile' must hold one JSON object." -Field 'PlanFile' -Target $PlanFile)
        }
        foreach ($property in $content.PSObject.Properties) {
            $field = $fields | Where-Object { $_ -eq $property.Name } | Select-Object -First 1
            if (-not $field) {
                $known = $fields -join ', '
                throw (New-AibErrorRecord -Message "Plan file field '$($property.Name)' is not known; known fields: $known." -Field $property.Name -Target $PlanFile)
            }
            if ($null -ne $property.Value) {
                $plan[$field] = $property.Value
            }
        }
    }

    foreach ($field in $fields) {
        $parameter = $field.Substring(0, 1).ToUpperInvariant() + $field.Substring(1)
        if (@($BoundParameters.Keys) -contains $parameter) {
            $value = $BoundParameters[$parameter]
            if ($value -is [switch]) { $value = [bool]$value }
            $plan[$field] = $value
        }
    }
    if ($plan.Contains('replicationTimeoutSeconds')) {
        $plan['replicationTimeoutSeconds'] = [int]$plan['replicationTimeoutSeconds']
    }

    $subscription = Resolve-AibSubscriptionId -SubscriptionId ([string]$plan['subscriptionId'])
    if (-not (Test-AibGuid -Value $subscription)) {
        throw (New-AibErrorRecord -Message "SubscriptionId must be a GUID; pass -SubscriptionId, put it in the plan file or connect with one. Got '$subscription'." -Field 'SubscriptionId' -Target $subscription)
    }
    $plan['subscriptionId'] = $subscription
    $plan
}
