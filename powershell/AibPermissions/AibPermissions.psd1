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
        'Get-AibRoleAssignment'
        'Get-AibRoleDefinition'
        'Get-AibUserAssignedIdentity'
        'Grant-AibPermission'
        'New-AibRoleAssignment'
        'New-AibRoleDefinition'
        'New-AibUserAssignedIdentity'
        'Remove-AibRoleAssignment'
        'Remove-AibRoleDefinition'
        'Remove-AibUserAssignedIdentity'
        'Set-AibRoleDefinition'
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
            Tags                       = @('Azure', 'ImageBuilder', 'AIB', 'RBAC', 'ManagedIdentity', 'RoleAssignment', 'Permissions', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri                 = 'https://github.com/aibpermissions/aibpermissions/blob/main/LICENSE'
            ProjectUri                 = 'https://github.com/aibpermissions/aibpermissions'
            RequireLicenseAcceptance   = $false
            ReleaseNotes               = @'
0.1.0
- One idempotent step for Azure VM Image Builder permissions: Grant-AibPermission creates
  the identity, least-privilege roles per scenario and their assignments; -WhatIf shows the
  plan; a rerun reports Unchanged and writes nothing. Test-AibPermission reports what is
  missing per scope, also from an image template file.
- Az-shaped commands for identities, role definitions and role assignments, and
  Enable-AibAzCompatibility for existing Az scripts.
- Waits out ARM's replication and visibility delays with progress; retries throttling and
  transient failures; Ctrl+C stops within a second and a rerun converges.
- Tab completion for locations, resource groups, identities, role names, scopes and
  scenarios; table and list views; about_AibPermissions help.
- A local ARM and Entra ID emulator (Start-AibEmulator) for rehearsals and tests.
'@
        }
    }
}
