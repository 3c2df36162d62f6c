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
        An Az name is enabled only when this version of the module has its Aib command; the
        others are reported with -Verbose and left alone.

        Az's Remove-AzRoleAssignment and Remove-AzUserAssignedIdentity do not ask for
        confirmation by default, and scripts call them without -Force; the Aib Remove commands
        ask. These two names therefore get a small global function instead of an alias: it
        takes the same parameters, runs the Aib command, and asks only when -Confirm is given
        or $ConfirmPreference is Medium or lower, as Az does.

        Az's -DefaultProfile (AzContext) is not accepted and stops the call with a
        parameter binding error: the connected Aib session (Connect-AibAccount or
        Start-AibEmulator) decides tenant and subscription, and quietly ignoring a context a
        script chose could act on another subscription. Az parameter sets this module does
        not model, such as -SignInName, -ApplicationId, New-AzRoleAssignment -InputFile,
        -AllowDelegation and -SkipClientSideScopeValidation, are
        refused the same way.

        Aliases come before cmdlets when PowerShell resolves a name, so with Az loaded the
        aliases would silently replace Az's cmdlets. The command therefore refuses while
        Az.Accounts, Az.Resources or Az.ManagedServiceIdentity is loaded, and while one of
        the names is an alias or function that is not this module's, unless -Force is given.
        Disable-AibAzCompatibility removes the Az names again.

    .PARAMETER Force
        Enables the Az names even though Az modules are loaded, replacing an alias or
        global function of the same name that is not this module's. Use it when this module should win over Az in
        the current session.

    .PARAMETER PassThru
        Returns one object per Az name enabled, to see what runs what.

    .EXAMPLE
        Import-Module AibPermissions
        Enable-AibAzCompatibility
        Start-AibEmulator
        ./New-ImageBuilderRoles.ps1

        Runs an existing Az script against the local emulator: its
        New-AzRoleDefinition and New-AzRoleAssignment calls run this module's
        commands.

    .EXAMPLE
        Enable-AibAzCompatibility -PassThru

        Lists which Az names now run which Aib command.

    .EXAMPLE
        Enable-AibAzCompatibility -Force -WhatIf

        Shows which Az names would be enabled even though Az modules are loaded,
        without enabling them.

    .OUTPUTS
        AibPermissions.AzCompatibility, with -PassThru: one per Az name enabled, with Name (the
        Az name), Target (the Aib command) and Kind (Alias, or Function for a stand-in).

    .LINK
        Disable-AibAzCompatibility

    .LINK
        New-AibRoleAssignment
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('AibPermissions.AzCompatibility')]
    param (
        [switch] $Force,

        [switch] $PassThru
    )

    $azModules = @(Get-Module -Name 'Az.Accounts', 'Az.Resources', 'Az.ManagedServiceIdentity')
    if ($azModules.Count -gt 0 -and -not $Force) {
        $names = ($azModules | ForEach-Object { $_.Name } | Sort-Object -Unique) -join ', '
        $message = "Az modules are loaded ($names): aliases would replace their commands in the current session. Remove them (Remove-Module $names) or pass -Force."
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'AzModulesLoaded', ([System.Management.Automation.ErrorCategory]::ResourceExists), $names
        $PSCmdlet.ThrowTerminatingError($record)
    }

    # Limit: Remove-Module AibPermissions leaves the Az names behind; they fail until the module is imported again or Disable-AibAzCompatibility runs.
    # Limit: Connect-AzAccount, Get-AzContext and Set-AzContext have no stand-in; scripts connect with Connect-AibAccount.
    $exported = $MyInvocation.MyCommand.Module.ExportedCommands
    foreach ($entry in Get-AibAzCommandMap) {
        if (-not $exported.ContainsKey($entry.AibName)) {
            Write-Verbose "[Enable-AibAzCompatibility] skipping $($entry.AzName): $($entry.AibName) is not in this version"
            continue
        }
        $kind = 'Alias'
        if ($entry.NoPromptAtHigh) { $kind = 'Function' }
        $result = [pscustomobject]@{
            PSTypeName = 'AibPermissions.AzCompatibility'
            Name       = $entry.AzName
            Target     = $entry.AibName
            Kind       = $kind
        }
        $marker = "# AibPermissions Az compatibility: $($entry.AibName)"
        $alias = Get-Alias -Name $entry.AzName -Scope Global -ErrorAction Ignore
        $function = Get-Item -Path "Function:\$($entry.AzName)" -ErrorAction Ignore
        $ours = ($kind -eq 'Alias' -and $alias -and $alias.Definition -eq $entry.AibName -and -not $function) -or
            ($kind -eq 'Function' -and -not $alias -and $function -and $function.Definition.StartsWith($marker))
        if ($ours) {
            Write-Verbose "[Enable-AibAzCompatibility] $($entry.AzName) already runs $($entry.AibName)"
            if ($PassThru) { $result }
            continue
        }
        $other = @($alias | ForEach-Object { "alias to '$($_.Definition)'" }) + @($function | ForEach-Object { 'function' })
        if ($other.Count -gt 0 -and -not $Force) {
            $message = "$($entry.AzName) is already defined ($($other -join ', ')); it is kept. Pass -Force to replace it."
            $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'AliasExists', ([System.Management.Automation.ErrorCategory]::ResourceExists), $entry.AzName
            $PSCmdlet.WriteError($record)
            continue
        }
        if (-not $PSCmdlet.ShouldProcess($entry.AzName, "Run $($entry.AibName)")) {
            continue
        }
        if ($alias) { Remove-Item -Path "Alias:\$($entry.AzName)" -Force }
        if ($function) { Remove-Item -Path "Function:\$($entry.AzName)" -Force }
        Write-Verbose "[Enable-AibAzCompatibility] $($entry.AzName) runs $($entry.AibName) ($kind)"
        if ($kind -eq 'Alias') {
            $splat = @{
                Name        = $entry.AzName
                Value       = $entry.AibName
                Scope       = 'Global'
                Description = 'AibPermissions Az compatibility'
                Force       = $true
            }
            Set-Alias @splat
        } else {
            $definition = Get-AibAzStandInDefinition -Command $exported[$entry.AibName]
            $null = New-Item -Path "Function:\global:$($entry.AzName)" -Value ([scriptblock]::Create($definition)) -Force
        }
        if ($PassThru) { $result }
    }
}
