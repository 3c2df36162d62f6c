function ConvertTo-AibRoleDefinitionOutput {
    # The Az PSRoleDefinition-shaped object from the library's RoleDefinition JSON.
    [CmdletBinding()]
    [OutputType('AibPermissions.RoleDefinition')]
    param (
        [Parameter(Mandatory)]
        [object] $Role
    )

    # Lists, as in Az's PSRoleDefinition: scripts call $role.Actions.Add() and
    # $role.AssignableScopes.Clear() before Set- or New-AzRoleDefinition -Role.
    $lists = @{}
    foreach ($field in 'actions', 'notActions', 'dataActions', 'notDataActions', 'assignableScopes') {
        $list = New-Object -TypeName 'System.Collections.Generic.List[string]'
        foreach ($value in @(Get-AibProperty -InputObject $Role -Name $field)) {
            if ($null -ne $value) { $list.Add([string]$value) }
        }
        $lists[$field] = $list
    }
    [pscustomobject]@{
        PSTypeName       = 'AibPermissions.RoleDefinition'
        Name             = Get-AibProperty -InputObject $Role -Name 'roleName'
        Id               = Get-AibProperty -InputObject $Role -Name 'name'
        IsCustom         = (Get-AibProperty -InputObject $Role -Name 'roleType') -ne 'BuiltInRole'
        Description      = Get-AibProperty -InputObject $Role -Name 'description'
        Actions          = $lists['actions']
        NotActions       = $lists['notActions']
        DataActions      = $lists['dataActions']
        NotDataActions   = $lists['notDataActions']
        AssignableScopes = $lists['assignableScopes']
        Action           = Get-AibProperty -InputObject $Role -Name 'outcome'
        ResourceId       = Get-AibProperty -InputObject $Role -Name 'id'
    }
}
