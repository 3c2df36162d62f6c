function ConvertTo-AibRoleAssignmentOutput {
    # The Az PSRoleAssignment-shaped object from the library's RoleAssignment JSON.
    [CmdletBinding()]
    [OutputType('AibPermissions.RoleAssignment')]
    param (
        [Parameter(Mandatory)]
        [object] $Assignment
    )

    $roleDefinitionId = [string](Get-AibProperty -InputObject $Assignment -Name 'roleDefinitionId')
    [pscustomobject]@{
        PSTypeName         = 'AibPermissions.RoleAssignment'
        RoleAssignmentId   = Get-AibProperty -InputObject $Assignment -Name 'id'
        Scope              = Get-AibProperty -InputObject $Assignment -Name 'scope'
        DisplayName        = Get-AibProperty -InputObject $Assignment -Name 'displayName'
        RoleDefinitionName = Get-AibProperty -InputObject $Assignment -Name 'roleDefinitionName'
        RoleDefinitionId   = ($roleDefinitionId -split '/')[-1]
        ObjectId           = Get-AibProperty -InputObject $Assignment -Name 'principalId'
        ObjectType         = Get-AibProperty -InputObject $Assignment -Name 'principalType'
        Description        = Get-AibProperty -InputObject $Assignment -Name 'description'
        Condition          = Get-AibProperty -InputObject $Assignment -Name 'condition'
        ConditionVersion   = Get-AibProperty -InputObject $Assignment -Name 'conditionVersion'
    }
}
