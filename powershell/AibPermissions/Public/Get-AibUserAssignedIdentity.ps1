function Get-AibUserAssignedIdentity {
    <#
    .SYNOPSIS
        Gets user-assigned managed identities: one by name, those of a resource group, or all of a subscription.

    .DESCRIPTION
        Get-AibUserAssignedIdentity reads user-assigned managed identities as
        Get-AzUserAssignedIdentity does. Without parameters it lists every identity of the
        connected subscription; with -ResourceGroupName those of one resource group; with
        -Name and -ResourceGroupName one identity. An identity object piped in (from
        New-AibUserAssignedIdentity, for example) is read again by its own subscription,
        resource group and name.
        -SubscriptionId defaults to the connected context's subscription. A subscription you
        name is used as given: when it does not exist the command fails instead of falling
        back to another one.

    .PARAMETER Name
        The identity's name. Use it with -ResourceGroupName to get one identity.

    .PARAMETER ResourceGroupName
        The resource group that holds the identities. Alone, it lists that group's identities.

    .PARAMETER SubscriptionId
        One or more subscriptions to read from. Defaults to the connected context's.

    .PARAMETER InputObject
        An identity object, as New-AibUserAssignedIdentity and this command return. Binds from
        the pipeline.

    .EXAMPLE
        Get-AibUserAssignedIdentity

        Lists every user-assigned identity of the connected subscription.

    .EXAMPLE
        Get-AibUserAssignedIdentity -ResourceGroupName 'aib-images'

        Lists the identities of the aib-images resource group.

    .EXAMPLE
        $identity = Get-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images'
        $identity | Get-AibRoleAssignment

        Gets one identity and lists the roles assigned to it; the pipeline binds
        its PrincipalId.

    .OUTPUTS
        AibPermissions.UserAssignedIdentity. Id, Name, Location, ResourceGroupName, Type, Tag,
        TenantId, PrincipalId, ClientId and SubscriptionId, as Get-AzUserAssignedIdentity returns.

    .LINK
        New-AibUserAssignedIdentity

    .LINK
        Remove-AibUserAssignedIdentity
    #>
    [CmdletBinding(DefaultParameterSetName = 'List')]
    [OutputType('AibPermissions.UserAssignedIdentity')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Get')]
        [AllowEmptyString()]
        [string] $Name,

        [Parameter(Mandatory, ParameterSetName = 'Get')]
        [Parameter(Mandatory, ParameterSetName = 'ResourceGroup')]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'List')]
        [Parameter(ParameterSetName = 'Get')]
        [Parameter(ParameterSetName = 'ResourceGroup')]
        [string[]] $SubscriptionId,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [PSTypeName('AibPermissions.UserAssignedIdentity')]
        [object] $InputObject
    )

    process {
        if ($PSCmdlet.ParameterSetName -eq 'InputObject') {
            $subscriptions = @(Get-AibProperty -InputObject $InputObject -Name 'SubscriptionId')
            $groupName = [string](Get-AibProperty -InputObject $InputObject -Name 'ResourceGroupName')
            $identityName = [string](Get-AibProperty -InputObject $InputObject -Name 'Name')
            # Objects without a SubscriptionId property (Az's) still carry it in their Id.
            $resourceId = [string](Get-AibProperty -InputObject $InputObject -Name 'Id')
            if (-not $subscriptions[0] -and $resourceId -match '^/subscriptions/(?<sub>[^/]+)/resourceGroups/(?<rg>[^/]+)/') {
                $subscriptions = @($Matches['sub'])
                if (-not $groupName) { $groupName = $Matches['rg'] }
            }
            $operation = 'identity.get'
        } else {
            $subscriptions = @($SubscriptionId | Where-Object { $_ })
            if ($subscriptions.Count -eq 0) {
                $subscriptions = @(Resolve-AibSubscriptionId)
            }
            $groupName = $ResourceGroupName
            $identityName = $Name
            $operation = 'identity.list'
            if ($PSCmdlet.ParameterSetName -eq 'Get') {
                $operation = 'identity.get'
            }
        }

        foreach ($subscription in $subscriptions) {
            if (-not (Test-AibGuid -Value $subscription)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "SubscriptionId must be a GUID; pass -SubscriptionId or connect with one. Got '$subscription'." -Field 'SubscriptionId' -Target $subscription))
                continue
            }
            $request = [ordered]@{ subscriptionId = [string]$subscription }
            $target = "/subscriptions/$subscription"
            if ($groupName) {
                $request.resourceGroupName = $groupName
                $target += "/resourceGroups/$groupName"
            }
            if ($operation -eq 'identity.get') {
                $request.name = $identityName
                $target += "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$identityName"
            }
            Write-Verbose "[Get-AibUserAssignedIdentity] reading $target"
            try {
                $result = Invoke-AibNative -Operation $operation -Request $request
            } catch [AibPermissions.NativeException] {
                $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
                continue
            }
            if ($operation -eq 'identity.get') {
                ConvertTo-AibIdentityOutput -Identity $result
            } else {
                foreach ($identity in @(Get-AibProperty -InputObject $result -Name 'value')) {
                    if ($null -ne $identity) {
                        ConvertTo-AibIdentityOutput -Identity $identity
                    }
                }
            }
        }
    }
}
