#!/usr/bin/env bash
# Terminal capture: pwsh in a 120x45 tmux pane imports the staged module, starts the emulator,
# creates an identity and a role, then types `New-AibRoleAssignment -RoleDefinitionName ` and
# presses Tab. The pane (with its scrollback) is written to out/tmux-capture.txt and printed.
# Exits 0 with a note when tmux or pwsh is missing; 1 when the session does not get as far
# as the completion list.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out_dir="$repo/out"
capture="$out_dir/tmux-capture.txt"
module="$out_dir/AibPermissions/AibPermissions.psd1"

if ! command -v tmux >/dev/null 2>&1; then
  echo "terminal capture skipped: tmux is not installed"
  exit 0
fi
pwsh_bin="$(command -v pwsh || true)"
if [[ -z "$pwsh_bin" && -x "$HOME/.dotnet/tools/pwsh" ]]; then
  pwsh_bin="$HOME/.dotnet/tools/pwsh"
fi
if [[ -z "$pwsh_bin" ]]; then
  echo "terminal capture skipped: pwsh is not installed"
  exit 0
fi
if [[ ! -f "$module" ]]; then
  echo "terminal capture: $module is missing; run 'pwsh ./build.ps1 build' first" >&2
  exit 1
fi

work="$(mktemp -d)"
# A private tmux server (its own socket), so no other tmux session is touched.
socket="aibperm-capture-$$"
cleanup() {
  tmux -L "$socket" kill-server >/dev/null 2>&1 || true
  # The emulator this capture started, if pwsh ended before stopping it.
  if [[ -f "$work/emulator.pid" ]]; then
    kill "$(tr -d '[:space:]' <"$work/emulator.pid")" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Setup that is not part of what the capture shows: a resource group for the commands below.
cat >"$work/setup.ps1" <<PS1
# Nothing typed here goes to the user's PSReadLine history, and no history predictions show.
Set-PSReadLineOption -HistorySaveStyle SaveNothing -PredictionSource None
\$PSStyle.OutputRendering = 'PlainText'
Import-Module -Name '$module'
\$emulator = Start-AibEmulator
Set-Content -LiteralPath '$work/emulator.pid' -Value \$emulator.ProcessId
\$null = & (Get-Module -Name AibPermissions) {
    param (\$s)
    Invoke-AibNative -Operation 'resourceGroup.createOrUpdate' -Request @{ subscriptionId = \$s; resourceGroupName = 'aib-images'; location = 'westus2' }
} \$emulator.SubscriptionId
PS1

pane() {
  tmux -L "$socket" capture-pane -p -J -S - -t capture
}

wait_for() {
  # Waits until the pane shows the pattern (an extended regex), up to $2 seconds.
  local pattern="$1" limit="${2:-60}" waited=0
  until pane | grep -Eq "$pattern"; do
    sleep 0.5
    waited=$((waited + 1))
    if ((waited > limit * 2)); then
      echo "terminal capture: gave up waiting for /$pattern/ after ${limit}s" >&2
      pane >"$capture" || true
      cat "$capture"
      return 1
    fi
  done
}

type_line() {
  tmux -L "$socket" send-keys -t capture -l "$1"
  tmux -L "$socket" send-keys -t capture Enter
}

tmux -L "$socket" -f /dev/null new-session -d -s capture -x 120 -y 45 \
  "env TERM=xterm-256color NO_COLOR=1 '$pwsh_bin' -NoLogo -NoProfile -NoExit -File '$work/setup.ps1'"
wait_for '^PS .*> $' 90
type_line "Get-AibContext | Format-List Environment, ArmEndpoint, SubscriptionId"
wait_for '^SubscriptionId' 30
type_line "New-AibUserAssignedIdentity -Name aibIdentity -ResourceGroupName aib-images"
wait_for '^aibIdentity' 60
type_line "New-AibRoleDefinition -Scenario ImageCreation -ResourceGroupName aib-images"
wait_for 'Image Creation|ImageCreation' 60
wait_for '^PS .*> $' 30
tmux -L "$socket" send-keys -t capture -l "New-AibRoleAssignment -RoleDefinitionName "
sleep 1
tmux -L "$socket" send-keys -t capture Tab
wait_for 'Storage Blob Data Reader' 30
sleep 1

mkdir -p "$out_dir"
# Trailing spaces and the empty lines below the last output are not part of the picture.
pane | sed -e 's/[[:space:]]*$//' | awk 'NF { for (; blank > 0; blank--) print ""; print; next } { blank++ }' >"$capture"

# Leave the menu and the half-typed line, stop the emulator, end pwsh.
tmux -L "$socket" send-keys -t capture Escape
sleep 0.5
tmux -L "$socket" send-keys -t capture C-c
sleep 0.5
type_line "Stop-AibEmulator"
sleep 2
type_line "exit"
sleep 1

echo "terminal capture written to $capture:"
echo "------------------------------------------------------------------------"
cat "$capture"
echo "------------------------------------------------------------------------"
