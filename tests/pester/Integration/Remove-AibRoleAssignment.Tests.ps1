Describe 'Remove-AibRoleAssignment against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'rg', 'rg01', 'rg2') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $rg = "/subscriptions/$sub/resourceGroups"
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'rg'
        $readerGuid = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when removing assignments' {
        BeforeAll {
            $principal = [guid]::NewGuid().ToString()
        }

        It 'removes what Get pipes in and returns it with -PassThru' {
            $created = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg2' -ObjectType ServicePrincipal
            $removed = Get-AibRoleAssignment -ObjectId $principal -ResourceGroupName 'rg2' | Remove-AibRoleAssignment -Force -PassThru
            $removed.RoleAssignmentId | Should -Be $created.RoleAssignmentId
            @(Get-AibRoleAssignment -ObjectId $principal -ResourceGroupName 'rg2').Count | Should -Be 0
        }

        It 'removes by principal, role and scope only at exactly that scope' {
            $atRg = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg' -ObjectType ServicePrincipal
            $atRg01 = New-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'Reader' -ResourceGroupName 'rg01' -ObjectType ServicePrincipal
            Remove-AibRoleAssignment -ObjectId $principal -RoleDefinitionName 'READER' -Scope "$rg/RG/" -Force
            $left = @(Get-AibRoleAssignment -ObjectId $principal).RoleAssignmentId
            $left | Should -Not -Contain $atRg.RoleAssignmentId
            $left | Should -Contain $atRg01.RoleAssignmentId
        }

        It 'fails with ObjectNotFound when nothing matches, leaving assignments below alone' {
            $thrown = { Remove-AibRoleAssignment -ObjectId $principal -RoleDefinitionId $readerGuid -Force } | Should -Throw -ErrorId 'RoleAssignmentNotFound,Remove-AibRoleAssignment' -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.Exception.Message | Should -BeLike '*does not map to a role assignment*'
            @(Get-AibRoleAssignment -ObjectId $principal).Count | Should -Be 1
        }
    }
}
