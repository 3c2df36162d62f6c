function Enable-AibAzCompatibility {
    <#
    .SYNOPSIS
        Lets scripts written for Az call this module's commands under their Az names.

    .DESCRIPTION
        Enable-AibAzCompatibility creates global aliases so that New-AzUserAssignedIdentity,
        Get-AzUserAssignedIdentity, Remove-AzUserAssignedIdentity, New-AzRoleDefinition,
        Get-AzRoleDefinition, Set-AzRoleDefinition, Remove-AzRoleDefinition,
        New-AzRoleAssignment, Get-AzRoleAssignment and Remove-AzRoleAssignment run the matching
        Aib command (New-AzRoleAssignment runs New-AibRoleAssignment, and so on). The Aib
        commands take Az's parameter names and sets: -ObjectId (aliases PrincipalId, Id),
        -ObjectType (alias PrincipalType), -RoleDefinitionName, -RoleDefinitionId (a GUID, as
        in Az, or a full role definition id), -Scope, -ResourceGroupName, -InputFile and -Role
        (position 0 on New-AzRoleDefinition), -Name, -Location, -Tag, -SubscriptionId.
        An alias is made only for an Aib command this version of the module has; the others
        are reported with -Verbose and left alone.

        Az's -DefaultProfile (AzContext) is not accepted and stops the call with a
        parameter binding error: the connected Aib session (Connect-AibAccount or
        Start-AibEmulator) decides tenant and subscription, and quietly ignoring a context a
        script chose could act on another subscription. Az parameter sets this module does
        not model (-SignInName, -ApplicationId, -ResourceName with -ResourceType,
        New-AzRoleAssignment -InputFile, -AllowDelegation, -SkipClientSideScopeValidation) are
        refused the same way.

        Aliases come before cmdlets when PowerShell resolves a name, so with Az loaded the
        aliases would silently replace Az's cmdlets. The command therefore refuses while
        Az.Accounts, Az.Resources or Az.ManagedServiceIdentity is loaded, and while one of
        the names is an alias to something else, unless -Force is given.
        Disable-AibAzCompatibility removes the aliases again.

    .PARAMETER Force
        Creates the aliases even though Az modules are loaded or an alias of the same name
        points elsewhere (it is replaced). Use it when this module should win over Az in
        this session.

    .PARAMETER PassThru
        Returns the alias made for each Az name, to see what was enabled.

    .EXAMPLE
        Import-Module AibPermissions
        Enable-AibAzCompatibility
        Start-AibEmulator
        ./New-ImageBuilderRoles.ps1

        Runs an existing Az script against the local emulator: its New-AzRoleDefinition and
        New-AzRoleAssignment calls run this module's commands.

    .EXAMPLE
        Enable-AibAzCompatibility -PassThru | Format-Table -Property Name, Definition

        Lists which Az names now run which Aib command.

    .EXAMPLE
        Enable-AibAzCompatibility -Force -WhatIf

        Shows which aliases would be made even though Az modules are loaded, without making them.

    .OUTPUTS
        System.Management.Automation.AliasInfo, with -PassThru: one per alias, Name (the Az
        name) and Definition (the Aib command).

    .LINK
        Disable-AibAzCompatibility

    .LINK
        New-AibRoleAssignment
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([System.Management.Automation.AliasInfo])]
    param (
        [switch] $Force,

        [switch] $PassThru
    )

    $azModules = @(Get-Module -Name 'Az.Accounts', 'Az.Resources', 'Az.ManagedServiceIdentity')
    if ($azModules.Count -gt 0 -and -not $Force) {
        $names = ($azModules | ForEach-Object { $_.Name } | Sort-Object -Unique) -join ', '
        $message = "Az modules are loaded ($names): aliases would replace their commands in this session. Remove them (Remove-Module $names) or pass -Force."
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'AzModulesLoaded', ([System.Management.Automation.ErrorCategory]::ResourceExists), $names
        $PSCmdlet.ThrowTerminatingError($record)
    }

    $exported = $MyInvocation.MyCommand.Module.ExportedCommands
    foreach ($entry in Get-AibAzCommandMap) {
        if (-not $exported.ContainsKey($entry.AibName)) {
            Write-Verbose "[Enable-AibAzCompatibility] skipping $($entry.AzName): $($entry.AibName) is not in this version"
            continue
        }
        $existing = Get-Alias -Name $entry.AzName -Scope Global -ErrorAction Ignore
        if ($existing -and $existing.Definition -eq $entry.AibName) {
            Write-Verbose "[Enable-AibAzCompatibility] $($entry.AzName) already runs $($entry.AibName)"
            if ($PassThru) { $existing }
            continue
        }
        if ($existing -and -not $Force) {
            $message = "Alias $($entry.AzName) already points to '$($existing.Definition)'; it is kept. Pass -Force to replace it."
            $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'AliasExists', ([System.Management.Automation.ErrorCategory]::ResourceExists), $entry.AzName
            $PSCmdlet.WriteError($record)
            continue
        }
        if (-not $PSCmdlet.ShouldProcess("alias $($entry.AzName)", "Run $($entry.AibName)")) {
            continue
        }
        Write-Verbose "[Enable-AibAzCompatibility] $($entry.AzName) runs $($entry.AibName)"
        $splat = @{
            Name        = $entry.AzName
            Value       = $entry.AibName
            Scope       = 'Global'
            Description = 'AibPermissions Az compatibility'
            Force       = $true
            PassThru    = $true
        }
        $alias = Set-Alias @splat
        if ($PassThru) { $alias }
    }
}
