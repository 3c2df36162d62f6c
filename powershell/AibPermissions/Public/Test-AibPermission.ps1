function Test-AibPermission {
    <#
    .SYNOPSIS
        Tells whether an identity has every permission an Azure VM Image Builder build needs.

    .DESCRIPTION
        Test-AibPermission works out the actions an image build needs at each scope, from the same
        parameters as Grant-AibPermission or from an image template file, and compares them with what the
        identity holds: its role assignments at and above each scope and their role definitions, with
        wildcards (*) and NotActions applied as Azure applies them. It returns Ready and, per scope, the
        required, granted and missing actions. It catches the failures Image Builder reports only after a
        long build: a missing Microsoft.Compute/images/delete, gallery image version write,
        subnets/join/action or userAssignedIdentities/assign/action. It changes nothing.

    .PARAMETER IdentityName
        The user-assigned identity to check. When it does not exist, every action is missing.

    .PARAMETER ResourceGroupName
        The resource group of -IdentityName.

    .PARAMETER Location
        Accepted for symmetry with Grant-AibPermission; not used by the check.

    .PARAMETER PrincipalId
        The object id of the principal to check. With -TemplateFile it replaces the template's identity.
        Piping an identity binds its PrincipalId.

    .PARAMETER PlanFile
        A JSON file with the plan's fields, as Grant-AibPermission takes it.

    .PARAMETER TemplateFile
        An image template JSON file (the imageTemplates resource, a deployment template holding one, or
        its properties). Its identity, source, distribution targets, vnetConfig.subnetId,
        vmProfile.userAssignedIdentities and stagingResourceGroup give the scopes to check.

    .PARAMETER SubscriptionId
        The subscription of every resource group named. Defaults to the connected context's.

    .PARAMETER ImageResourceGroupName
        The resource group managed images are distributed to.

    .PARAMETER GalleryResourceGroupName
        The resource group of the gallery image versions are distributed to.

    .PARAMETER SourceResourceGroupName
        The resource group of the source image; needs -SourceType.

    .PARAMETER SourceType
        The kind of source image: ManagedImage or Gallery.

    .PARAMETER VirtualNetworkResourceGroupName
        The resource group of the virtual network the build VM joins.

    .PARAMETER BuildVmIdentityId
        The full id of a user-assigned identity given to the build VM.

    .PARAMETER StorageContainerId
        The full id of a blob container holding customization scripts.

    .PARAMETER StagingResourceGroupName
        A staging resource group of yours, where the identity needs Contributor.

    .PARAMETER ReplicationTimeoutSeconds
        Accepted so a Grant-AibPermission plan can be reused as is; not used by the check.

    .EXAMPLE
        Test-AibPermission -IdentityName 'aibIdentity' `
            -ResourceGroupName 'aib-images' `
            -ImageResourceGroupName 'aib-images' `
            -GalleryResourceGroupName 'aib-images'

        Returns Ready = True when the identity can distribute managed images and
        gallery versions in aib-images.

    .EXAMPLE
        (Test-AibPermission -TemplateFile ./imageTemplate.json).Scopes |
            Where-Object { $_.Missing }

        Lists, per scope, what the template's identity still lacks before the
        build is submitted.

    .OUTPUTS
        AibPermissions.PermissionTestResult. Ready, PrincipalId, Missing (the missing actions as
        "<scope>: <action>") and Scopes: AibPermissions.ScopePermission objects with Scope, Scenarios,
        Required, Granted, Missing and Roles.

    .LINK
        Grant-AibPermission
    #>
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    [OutputType('AibPermissions.PermissionTestResult')]
    param (
        [Parameter(Mandatory, ParameterSetName = 'Identity')]
        [string] $IdentityName,

        [Parameter(Mandatory, ParameterSetName = 'Identity')]
        [string] $ResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [string] $Location,

        [Parameter(Mandatory, ParameterSetName = 'Principal', ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'Template')]
        [string] $PrincipalId,

        [Parameter(Mandatory, ParameterSetName = 'PlanFile')]
        [string] $PlanFile,

        [Parameter(Mandatory, ParameterSetName = 'Template')]
        [string] $TemplateFile,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $SubscriptionId,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $ImageResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $GalleryResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $SourceResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [ValidateSet('ManagedImage', 'Gallery')]
        [string] $SourceType,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $VirtualNetworkResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $BuildVmIdentityId,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $StorageContainerId,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [string] $StagingResourceGroupName,

        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Principal')]
        [Parameter(ParameterSetName = 'PlanFile')]
        [ValidateRange(1, 3600)]
        [int] $ReplicationTimeoutSeconds
    )

    process {
        if ($PSCmdlet.ParameterSetName -eq 'Template') {
            if (-not (Test-Path -LiteralPath $TemplateFile -PathType Leaf)) {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "Template file '$TemplateFile' does not exist." -Field 'TemplateFile' -Target $TemplateFile))
                return
            }
            try {
                $template = Get-Content -LiteralPath $TemplateFile -Raw -Encoding UTF8 | ConvertFrom-Json
            } catch {
                $PSCmdlet.WriteError((New-AibErrorRecord -Message "Template file '$TemplateFile' is not JSON: $($_.Exception.Message)" -Field 'TemplateFile' -Target $TemplateFile))
                return
            }
            $request = [ordered]@{ template = $template }
            if ($PrincipalId) {
                $request.principalId = $PrincipalId
            }
            $target = $TemplateFile
        } else {
            $bound = @{}
            foreach ($key in $PSBoundParameters.Keys) {
                if ($key -notin 'Location', 'ReplicationTimeoutSeconds') {
                    $bound[$key] = $PSBoundParameters[$key]
                }
            }
            try {
                $plan = ConvertTo-AibGrantPlan -BoundParameters $bound -PlanFile $PlanFile
            } catch {
                if ($_.FullyQualifiedErrorId -like 'INVALID_ARGUMENT.*') {
                    $PSCmdlet.WriteError($_)
                    return
                }
                throw
            }
            $request = [ordered]@{ plan = $plan }
            $target = $plan['subscriptionId']
        }

        Write-Verbose '[Test-AibPermission] reading role assignments and role definitions'
        try {
            $result = Invoke-AibNative -Operation 'permission.test' -Request $request -Activity 'Checking Image Builder permissions'
        } catch [AibPermissions.NativeException] {
            $PSCmdlet.WriteError((New-AibErrorRecord -Exception $_.Exception -Target $target))
            return
        }

        $missing = New-Object -TypeName System.Collections.Generic.List[string]
        $scopes = foreach ($scope in @($result.scopes)) {
            foreach ($action in @($scope.missing)) {
                $missing.Add("$($scope.scope): $action")
            }
            [pscustomobject]@{
                PSTypeName = 'AibPermissions.ScopePermission'
                Scope      = [string]$scope.scope
                Scenarios  = [string[]]@($scope.scenarios)
                Required   = [string[]]@($scope.required)
                Granted    = [string[]]@($scope.granted)
                Missing    = [string[]]@($scope.missing)
                Roles      = [string[]]@($scope.roles)
            }
        }
        if (-not $result.ready) {
            Write-Verbose "[Test-AibPermission] not ready: $($missing.Count) actions missing"
        }
        [pscustomobject]@{
            PSTypeName  = 'AibPermissions.PermissionTestResult'
            Ready       = [bool]$result.ready
            PrincipalId = Get-AibProperty -InputObject $result -Name 'principalId'
            Missing     = [string[]]$missing.ToArray()
            Scopes      = @($scopes)
        }
    }
}
