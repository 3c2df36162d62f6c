function Grant-AibPermission {
    <#
    .SYNOPSIS
        Grants an identity everything an Azure VM Image Builder build needs, in one idempotent step.

    .DESCRIPTION
        Grant-AibPermission states what an image build needs and makes Azure match it: it creates the
        user-assigned identity when missing, creates or reuses one least-privilege custom role per
        scenario and scope (deterministic names and GUIDs, no timestamps), assigns those roles and the
        built-in roles some scenarios need, and waits out identity replication with progress.

        Each scope parameter adds a scenario: -ImageResourceGroupName (managed image distribution),
        -GalleryResourceGroupName (gallery distribution; with the same resource group as
        -ImageResourceGroupName the documented Image Creation role is used), -SourceResourceGroupName
        with -SourceType, -VirtualNetworkResourceGroupName (the documented Networking role),
        -BuildVmIdentityId, -StorageContainerId (Storage Blob Data Reader) and -StagingResourceGroupName
        (Contributor).

        The plan is read first. With -WhatIf the command prints it, each item marked Created, Updated or
        Unchanged, and changes nothing. A second run after success reports every item Unchanged and makes
        no write. A run stopped with Ctrl+C leaves Azure in a state the next run completes.

    .PARAMETER IdentityName
        The user-assigned identity Image Builder runs as. It is created when it does not exist.

    .PARAMETER ResourceGroupName
        The resource group of -IdentityName.

    .PARAMETER Location
        The Azure region of a new identity. Leave it out to use its resource group's location.

    .PARAMETER PrincipalId
        The object id of an existing principal, instead of -IdentityName. Piping an identity from
        New-AibUserAssignedIdentity binds its PrincipalId.

    .PARAMETER PlanFile
        A JSON file with the plan's fields (subscriptionId, identityName, resourceGroupName,
        imageResourceGroupName, ...). Use it to keep the plan of a build next to its template; parameters
        given on the command line win over the file.

    .PARAMETER SubscriptionId
        The subscription of every resource group named. Defaults to the connected context's.

    .PARAMETER ImageResourceGroupName
        The resource group managed images are distributed to.

    .PARAMETER GalleryResourceGroupName
        The resource group of the Azure Compute Gallery image versions are distributed to.

    .PARAMETER SourceResourceGroupName
        The resource group of the source image; needs -SourceType.

    .PARAMETER SourceType
        The kind of source image: ManagedImage or Gallery.

    .PARAMETER VirtualNetworkResourceGroupName
        The resource group of an existing virtual network the build VM joins.

    .PARAMETER BuildVmIdentityId
        The full id of a user-assigned identity given to the build VM (vmProfile.userAssignedIdentities).

    .PARAMETER StorageContainerId
        The full id of a blob container holding customization scripts, read by the identity.

    .PARAMETER StagingResourceGroupName
        A staging resource group of yours (the template's stagingResourceGroup), where the identity needs Contributor.

    .PARAMETER ReplicationTimeoutSeconds
        How long to wait for a new identity to become known to role assignments (default 300).

    .EXAMPLE
        Grant-AibPermission -IdentityName 'aibIdentity' `
            -ResourceGroupName 'aib-images' `
            -ImageResourceGroupName 'aib-images' `
            -GalleryResourceGroupName 'aib-images' `
            -VirtualNetworkResourceGroupName 'aib-network' -WhatIf

        Prints the plan of the documented recipe (identity, Image Creation and
        Networking roles, two assignments) without changing anything.

    .EXAMPLE
        Grant-AibPermission -IdentityName 'aibIdentity' `
            -ResourceGroupName 'aib-images' `
            -ImageResourceGroupName 'aib-images' `
            -GalleryResourceGroupName 'aib-images' `
            -VirtualNetworkResourceGroupName 'aib-network'

        Creates the identity, both roles and both assignments, and returns one
        result per item.

    .EXAMPLE
        Get-AibUserAssignedIdentity -Name 'aibIdentity' `
            -ResourceGroupName 'aib-images' |
            Grant-AibPermission -SourceResourceGroupName 'aib-source' `
                -SourceType Gallery

        Lets an existing identity read the source gallery image.

    .EXAMPLE
        Grant-AibPermission -PlanFile ./aib-plan.json

        Applies a plan kept in a file; running it again reports every item
        Unchanged.

    .OUTPUTS
        AibPermissions.GrantResult. One per item: Action (Created, Updated, Unchanged), Kind (Identity,
        RoleDefinition, RoleAssignment), Name, Scope, Id, Scenario, PrincipalId.

    .LINK
        Test-AibPermission

    .LINK
        New-AibRoleDefinition
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Identity')]
    [OutputType('AibPermissions.GrantResult')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Identity')]
        [string] $IdentityName,

        [Parameter(Mandatory, ParameterSetName = 'Identity')]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [string] $Location,

        [Parameter(Mandatory, ParameterSetName = 'Principal', ValueFromPipelineByPropertyName)]
        [string] $PrincipalId,

        [Parameter(Mandatory, ParameterSetName = 'PlanFile')]
        [string] $PlanFile,

        [string] $SubscriptionId,

        [string] $ImageResourceGroupName,

        [string] $GalleryResourceGroupName,

        [string] $SourceResourceGroupName,

        [ValidateSet('ManagedImage', 'Gallery')]
        [string] $SourceType,

        [string] $VirtualNetworkResourceGroupName,

        [string] $BuildVmIdentityId,

        [string] $StorageContainerId,

        [string] $StagingResourceGroupName,

        [ValidateRange(1, 3600)]
        [int] $ReplicationTimeoutSeconds
    )

    process {
        try {
            $plan = ConvertTo-AibGrantPlan -BoundParameters $PSBoundParameters -PlanFile $PlanFile
        } catch {
            if ($_.FullyQualifiedErrorId -like 'INVALID_ARGUMENT.*') {
                $PSCmdlet.WriteError($_)
                return
            }
            throw
        }

        Write-Verbose '[Grant-AibPermission] reading what exists to plan the grant'
        try {
            $planned = Invoke-AibNative -Operation 'grant.plan' -Request $plan -Activity 'Planning Image Builder permissions'
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $plan['subscriptionId']))
            return
        }

        $lines = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($item in @($planned.items)) {
            $lines.Add(('{0,-9} {1,-14} {2} at {3}' -f $item.action, $item.kind, $item.name, $item.scope))
        }
        $who = $plan['principalId']
        if ($plan.Contains('identityName')) {
            $who = "identity '$($plan['identityName'])'"
        }
        $description = "Grant Image Builder permissions to $($who):" + [Environment]::NewLine + ($lines -join [Environment]::NewLine)
        $warning = "Grant Image Builder permissions to $($who)? " + [Environment]::NewLine + ($lines -join [Environment]::NewLine)
        if (-not $PSCmdlet.ShouldProcess($description, $warning, 'Grant-AibPermission')) {
            return
        }

        Write-Verbose "[Grant-AibPermission] applying $($lines.Count) items"
        $finished = $false
        try {
            $applied = Invoke-AibNative -Operation 'grant.apply' -Request $plan -Activity 'Granting Image Builder permissions'
            $finished = $true
        } catch [AibPermissions.NativeException] {
            $finished = $true
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $plan['subscriptionId']))
            return
        } finally {
            if (-not $finished) {
                # Stopped (Ctrl+C): say which planned changes may be partly made.
                $pending = @($planned.items | Where-Object { $_.action -ne 'Unchanged' } | ForEach-Object { "$($_.action) $($_.kind) '$($_.name)'" })
                try {
                    Write-Warning ("[Grant-AibPermission] stopped while granting; these planned changes may be partly made: {0}. What exists is kept and found again: run the same command to finish." -f ($pending -join '; '))
                } catch {
                    # The pipeline is stopping; the warning cannot be written.
                    $null = $_
                }
            }
        }
        foreach ($item in @($applied.items)) {
            Write-Verbose "[Grant-AibPermission] $($item.action) $($item.kind) '$($item.name)' at $($item.scope)"
            [pscustomobject]@{
                PSTypeName  = 'AibPermissions.GrantResult'
                Action      = [string]$item.action
                Kind        = [string]$item.kind
                Name        = [string]$item.name
                Scope       = [string]$item.scope
                Id          = Get-AibProperty -InputObject $item -Name 'id'
                Scenario    = Get-AibProperty -InputObject $item -Name 'scenario'
                PrincipalId = Get-AibProperty -InputObject $item -Name 'principalId'
            }
        }
    }
}
