function Get-AibAzCommandMap {
    # The Az commands Enable-AibAzCompatibility can stand in for, each with the module
    # command that does its work. Scripts written for Az call the Az name; an alias sends the
    # call to the Aib command, whose parameters carry Az's names.
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param ()

    # Prompting: Az's Remove-AzRoleAssignment and Remove-AzUserAssignedIdentity have a Medium
    # confirm impact and scripts call them without -Force or -Confirm; the Aib Remove commands
    # are High. Those two get a stand-in that behaves as Medium (NoPromptAtHigh).
    $pairs = [ordered]@{
        'New-AzUserAssignedIdentity'    = 'New-AibUserAssignedIdentity'
        'Get-AzUserAssignedIdentity'    = 'Get-AibUserAssignedIdentity'
        'Remove-AzUserAssignedIdentity' = 'Remove-AibUserAssignedIdentity'
        'New-AzRoleDefinition'          = 'New-AibRoleDefinition'
        'Get-AzRoleDefinition'          = 'Get-AibRoleDefinition'
        'Set-AzRoleDefinition'          = 'Set-AibRoleDefinition'
        'Remove-AzRoleDefinition'       = 'Remove-AibRoleDefinition'
        'New-AzRoleAssignment'          = 'New-AibRoleAssignment'
        'Get-AzRoleAssignment'          = 'Get-AibRoleAssignment'
        'Remove-AzRoleAssignment'       = 'Remove-AibRoleAssignment'
    }
    $mediumImpact = 'Remove-AzUserAssignedIdentity', 'Remove-AzRoleAssignment'
    foreach ($azName in $pairs.Keys) {
        [pscustomobject]@{
            AzName         = $azName
            AibName        = $pairs[$azName]
            NoPromptAtHigh = $mediumImpact -contains $azName
        }
    }
}
