function ConvertTo-AibRoleFileBytes {
    # The bytes of an Az role file (flat format) from a PSRoleDefinition-shaped object, so a
    # -Role object goes through the same offline checks as an -InputFile.
    [CmdletBinding()]
    [OutputType([byte[]])]
    param (
        [Parameter(Mandatory)]
        [object] $Role
    )

    $file = [ordered]@{
        Name             = Get-AibProperty -InputObject $Role -Name 'Name'
        IsCustom         = $true
        Description      = Get-AibProperty -InputObject $Role -Name 'Description'
        Actions          = @(Get-AibProperty -InputObject $Role -Name 'Actions' | Where-Object { $null -ne $_ })
        NotActions       = @(Get-AibProperty -InputObject $Role -Name 'NotActions' | Where-Object { $null -ne $_ })
        DataActions      = @(Get-AibProperty -InputObject $Role -Name 'DataActions' | Where-Object { $null -ne $_ })
        NotDataActions   = @(Get-AibProperty -InputObject $Role -Name 'NotDataActions' | Where-Object { $null -ne $_ })
        AssignableScopes = @(Get-AibProperty -InputObject $Role -Name 'AssignableScopes' | Where-Object { $null -ne $_ })
    }
    $id = [string](Get-AibProperty -InputObject $Role -Name 'Id')
    if ($id) {
        $file.Id = ($id -split '/')[-1]
    }
    $json = ConvertTo-Json -InputObject $file -Depth 5
    , (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false).GetBytes($json)
}
