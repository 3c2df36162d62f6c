@{
    RootModule           = 'AibPermissions.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0c52a6-8a51-4c79-9a55-2d8e2f6b7c41'
    Author               = 'AibPermissions contributors'
    CompanyName          = 'AibPermissions'
    Copyright            = '(c) AibPermissions contributors. MIT License.'
    Description          = 'Sets up what Azure VM Image Builder needs: a user-assigned managed identity, least-privilege custom roles and role assignments, idempotently, with a Rust core.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'Connect-AibAccount'
        'Disable-AibAzCompatibility'
        'Disconnect-AibAccount'
        'Enable-AibAzCompatibility'
        'Export-AibRoleDefinition'
        'Get-AibContext'
        'Grant-AibPermission'
        'New-AibRoleAssignment'
        'New-AibRoleDefinition'
        'New-AibUserAssignedIdentity'
        'Start-AibEmulator'
        'Stop-AibEmulator'
        'Test-AibPermission'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FormatsToProcess     = @('AibPermissions.Format.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags       = @('Azure', 'ImageBuilder', 'RBAC', 'ManagedIdentity', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri = 'https://github.com/aibpermissions/aibpermissions/blob/main/LICENSE'
            ProjectUri = 'https://github.com/aibpermissions/aibpermissions'
        }
    }
}
