function ConvertTo-AibIdentityOutput {
    # The Az-shaped identity object from the library's Identity JSON.
    [CmdletBinding()]
    [OutputType('AibPermissions.UserAssignedIdentity')]
    param (
        [Parameter(Mandatory)]
        [object] $Identity
    )

    [pscustomobject]@{
        PSTypeName        = 'AibPermissions.UserAssignedIdentity'
        Id                = Get-AibProperty -InputObject $Identity -Name 'id'
        Name              = Get-AibProperty -InputObject $Identity -Name 'name'
        Location          = Get-AibProperty -InputObject $Identity -Name 'location'
        ResourceGroupName = Get-AibProperty -InputObject $Identity -Name 'resourceGroupName'
        Type              = Get-AibProperty -InputObject $Identity -Name 'type'
        Tag               = ConvertTo-AibHashtable -InputObject (Get-AibProperty -InputObject $Identity -Name 'tags')
        TenantId          = Get-AibProperty -InputObject $Identity -Name 'tenantId'
        PrincipalId       = Get-AibProperty -InputObject $Identity -Name 'principalId'
        ClientId          = Get-AibProperty -InputObject $Identity -Name 'clientId'
        SubscriptionId    = Get-AibProperty -InputObject $Identity -Name 'subscriptionId'
    }
}
