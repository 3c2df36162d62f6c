function ConvertTo-AibRoleDefinitionOutput {
    # The Az PSRoleDefinition-shaped object from the library's RoleDefinition JSON.
    [CmdletBinding()]
    [OutputType('AibPermissions.RoleDefinition')]
    param (
        [Parameter(Mandatory)]
        [object] $Role
    )

    [pscustomobject]@{
        PSTypeName       = 'AibPermissions.RoleDefinition'
        Name             = Get-AibProperty -InputObject $Role -Name 'roleName'
        Id               = Get-AibProperty -InputObject $Role -Name 'name'
        IsCustom         = (Get-AibProperty -InputObject $Role -Name 'roleType') -ne 'BuiltInRole'
        Description      = Get-AibProperty -InputObject $Role -Name 'description'
        Actions          = @(Get-AibProperty -InputObject $Role -Name 'actions' | Where-Object { $null -ne $_ })
        NotActions       = @(Get-AibProperty -InputObject $Role -Name 'notActions' | Where-Object { $null -ne $_ })
        DataActions      = @(Get-AibProperty -InputObject $Role -Name 'dataActions' | Where-Object { $null -ne $_ })
        NotDataActions   = @(Get-AibProperty -InputObject $Role -Name 'notDataActions' | Where-Object { $null -ne $_ })
        AssignableScopes = @(Get-AibProperty -InputObject $Role -Name 'assignableScopes' | Where-Object { $null -ne $_ })
        Action           = Get-AibProperty -InputObject $Role -Name 'outcome'
        ResourceId       = Get-AibProperty -InputObject $Role -Name 'id'
    }
}
