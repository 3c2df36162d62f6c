function Remove-AibUserAssignedIdentity {
    <#
    .SYNOPSIS
        Deletes a user-assigned managed identity.

    .DESCRIPTION
        Remove-AibUserAssignedIdentity deletes a user-assigned managed identity, as
        Remove-AzUserAssignedIdentity does: by -Name and -ResourceGroupName, or as an identity
        object piped in from Get-AibUserAssignedIdentity. It asks for confirmation first
        (ConfirmImpact High); -Force or -Confirm:$false skip the prompt. Deleting an identity
        that is already gone is not an error: a warning says so. Role assignments of the
        identity's principal are left in place, as ARM leaves them.

    .PARAMETER Name
        The identity's name.

    .PARAMETER ResourceGroupName
        The resource group that holds the identity.

    .PARAMETER SubscriptionId
        The subscription. Defaults to the connected context's.

    .PARAMETER InputObject
        An identity object, as Get-AibUserAssignedIdentity returns. Binds from the pipeline.

    .PARAMETER Force
        Deletes without asking, unless -Confirm is also given.

    .PARAMETER PassThru
        Writes $true for each identity deleted (or already gone), as Az does.

    .EXAMPLE
        Remove-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images' -Force

        Deletes the identity without a prompt.

    .EXAMPLE
        Get-AibUserAssignedIdentity -ResourceGroupName 'aib-test' |
            Remove-AibUserAssignedIdentity -WhatIf

        Shows which identities of the aib-test group would be deleted, without
        deleting any.

    .OUTPUTS
        System.Boolean, with -PassThru only.

    .LINK
        Get-AibUserAssignedIdentity

    .LINK
        New-AibUserAssignedIdentity
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'Delete')]
    [OutputType([bool])]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Delete', ValueFromPipelineByPropertyName)]
        [AllowEmptyString()]
        [string] $Name,

        [Parameter(Mandatory, ParameterSetName = 'Delete', ValueFromPipelineByPropertyName)]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'Delete', ValueFromPipelineByPropertyName)]
        [string] $SubscriptionId,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [PSTypeName('AibPermissions.UserAssignedIdentity')]
        [object] $InputObject,

        [switch] $Force,

        [switch] $PassThru
    )

    begin {
        if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) {
            $ConfirmPreference = 'None'
        }
    }

    process {
        if ($PSCmdlet.ParameterSetName -eq 'InputObject') {
            $subscription = [string](Get-AibProperty -InputObject $InputObject -Name 'SubscriptionId')
            $groupName = [string](Get-AibProperty -InputObject $InputObject -Name 'ResourceGroupName')
            $identityName = [string](Get-AibProperty -InputObject $InputObject -Name 'Name')
            # Objects without a SubscriptionId property (Az's) still carry it in their Id.
            $resourceId = [string](Get-AibProperty -InputObject $InputObject -Name 'Id')
            if (-not $subscription -and $resourceId -match '^/subscriptions/(?<sub>[^/]+)/resourceGroups/(?<rg>[^/]+)/') {
                $subscription = $Matches['sub']
                if (-not $groupName) { $groupName = $Matches['rg'] }
            }
        } else {
            $subscription = Resolve-AibSubscriptionId -SubscriptionId $SubscriptionId
            $groupName = $ResourceGroupName
            $identityName = $Name
        }
        if (-not (Test-AibGuid -Value $subscription)) {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message "SubscriptionId must be a GUID; pass -SubscriptionId or connect with one. Got '$subscription'." -Field 'SubscriptionId' -Target $subscription))
            return
        }
        if ([string]::IsNullOrWhiteSpace($identityName)) {
            $PSCmdlet.WriteError((New-AibErrorRecord -Message 'Name is empty.' -Field 'Name' -Target $identityName))
            return
        }
        $target = "/subscriptions/$subscription/resourceGroups/$groupName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$identityName"
        $request = [ordered]@{
            subscriptionId    = $subscription
            resourceGroupName = $groupName
            name              = $identityName
        }

        if (-not $PSCmdlet.ShouldProcess($target, 'Remove user-assigned identity')) {
            return
        }
        Write-Verbose "[Remove-AibUserAssignedIdentity] deleting $target"
        try {
            $result = Invoke-AibNative -Operation 'identity.delete' -Request $request -Activity "Deleting identity '$identityName'"
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
            return
        }
        if ((Get-AibProperty -InputObject $result -Name 'outcome') -eq 'NotFound') {
            Write-Warning "[Remove-AibUserAssignedIdentity] identity '$identityName' in resource group '$groupName' did not exist; nothing was deleted."
        }
        if ($PassThru) {
            $true
        }
    }
}
