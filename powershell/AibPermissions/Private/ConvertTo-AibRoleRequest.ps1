function ConvertTo-AibRoleRequest {
    # The library's RoleDefinition JSON shape from an Az PSRoleDefinition-shaped object.
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [object] $Role
    )

    $request = [ordered]@{
        roleName         = Get-AibProperty -InputObject $Role -Name 'Name'
        description      = Get-AibProperty -InputObject $Role -Name 'Description'
        actions          = @(Get-AibProperty -InputObject $Role -Name 'Actions' | Where-Object { $null -ne $_ })
        notActions       = @(Get-AibProperty -InputObject $Role -Name 'NotActions' | Where-Object { $null -ne $_ })
        dataActions      = @(Get-AibProperty -InputObject $Role -Name 'DataActions' | Where-Object { $null -ne $_ })
        notDataActions   = @(Get-AibProperty -InputObject $Role -Name 'NotDataActions' | Where-Object { $null -ne $_ })
        assignableScopes = @(Get-AibProperty -InputObject $Role -Name 'AssignableScopes' | Where-Object { $null -ne $_ })
    }
    $id = [string](Get-AibProperty -InputObject $Role -Name 'Id')
    if ($id) {
        $request.name = ($id -split '/')[-1]
    }
    [pscustomobject]$request
}
