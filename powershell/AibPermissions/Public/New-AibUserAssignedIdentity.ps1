function New-AibUserAssignedIdentity {
    <#
    .SYNOPSIS
        Creates or updates a user-assigned managed identity.

    .DESCRIPTION
        New-AibUserAssignedIdentity creates a user-assigned managed identity in a resource group,
        or updates it when it exists (ARM create-or-update), and returns it with its PrincipalId
        and ClientId. The name is checked before any call: 3 to 128 characters, letters, digits,
        hyphens and underscores, starting with a letter or digit. -Location defaults to the
        resource group's location.

    .PARAMETER Name
        The identity name, unique in the resource group.

    .PARAMETER ResourceGroupName
        The resource group that holds the identity.

    .PARAMETER Location
        The Azure region. Leave it out to use the resource group's location.

    .PARAMETER SubscriptionId
        The subscription. Defaults to the connected context's subscription.

    .PARAMETER Tag
        Tags to set on the identity, as a hashtable of names and values.

    .EXAMPLE
        New-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images'

        Creates the identity Image Builder runs as, in the location of its
        resource group.

    .EXAMPLE
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images' -Location 'westeurope' `
            -Tag @{ owner = 'imaging' }
        $identity |
            New-AibRoleAssignment -RoleDefinitionName 'Reader' `
                -ResourceGroupName 'aib-images'

        Creates a tagged identity in West Europe and assigns it a role; the
        pipeline binds its PrincipalId.

    .OUTPUTS
        AibPermissions.UserAssignedIdentity. Id, Name, Location, ResourceGroupName, Type, Tag,
        TenantId, PrincipalId, ClientId and SubscriptionId, as New-AzUserAssignedIdentity returns.

    .LINK
        New-AibRoleAssignment
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('AibPermissions.UserAssignedIdentity')]
    param (
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [AllowEmptyString()]
        [string] $Name,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [string] $ResourceGroupName,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $Location,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SubscriptionId,

        [hashtable] $Tag
    )

    process {
        if ($Name -notmatch '^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$') {
            $message = "Name '$Name' breaks the identity name rule: 3 to 128 characters, letters, digits, '-' and '_', starting with a letter or digit."
            $PSCmdlet.WriteError((New-AibErrorRecord -Message $message -Field 'Name' -Target $Name))
            return
        }
        $subscription = Resolve-AibSubscriptionId -SubscriptionId $SubscriptionId
        if (-not (Test-AibGuid -Value $subscription)) {
            $message = "SubscriptionId must be a GUID; pass -SubscriptionId or connect with one. Got '$subscription'."
            $PSCmdlet.WriteError((New-AibErrorRecord -Message $message -Field 'SubscriptionId' -Target $subscription))
            return
        }

        $request = [ordered]@{
            subscriptionId    = $subscription
            resourceGroupName = $ResourceGroupName
            name              = $Name
        }
        if ($Location) {
            $request.location = $Location
        }
        if ($PSBoundParameters.ContainsKey('Tag')) {
            $request.tags = $Tag
        }

        $target = "/subscriptions/$subscription/resourceGroups/$ResourceGroupName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$Name"
        if (-not $PSCmdlet.ShouldProcess($target, 'Create or update user-assigned identity')) {
            return
        }
        Write-Verbose "[New-AibUserAssignedIdentity] creating or updating $target"
        try {
            $identity = Invoke-AibNative -Operation 'identity.createOrUpdate' -Request $request -Activity "Creating identity $Name"
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
            return
        }
        Write-Verbose "[New-AibUserAssignedIdentity] $($identity.outcome): $target"
        if (-not $Location) {
            Write-Verbose "[New-AibUserAssignedIdentity] no -Location given: used location '$($identity.location)' of resource group '$ResourceGroupName'"
        }
        ConvertTo-AibIdentityOutput -Identity $identity
    }
}
