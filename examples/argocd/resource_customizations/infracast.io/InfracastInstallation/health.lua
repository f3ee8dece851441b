-- Argo CD health of an infracast.io InfracastInstallation, from the conditions the operator writes.
-- Lua 5.1 with only the base and table libraries: Argo CD runs a health check from argocd-cm without the
-- string library unless useOpenLibs is set, so this script concatenates and never calls string.*.
local hs = {}

local function condition(conditions, type)
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to report status"
  return hs
end

-- A status written for an older spec says nothing about the current one (the operator has not reconciled the
-- change yet, or could not write its status: it then says why in a StatusNotWritten Event).
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(status.conditions, "Ready")
local progressing = condition(status.conditions, "Progressing")
local degraded = condition(status.conditions, "Degraded")

if isTrue(degraded) then
  -- ReconcileError is a refused or unanswered API request: the operator retries it without limit and heals
  -- without anyone's help, while the pods keep serving. Every other reason needs someone to act.
  if degraded.reason == "ReconcileError" then
    hs.status = "Progressing"
    hs.message = "the operator retries: " .. messageOf(degraded, "the last reconcile failed")
    return hs
  end
  hs.status = "Degraded"
  hs.message = messageOf(degraded, "the operator reports a problem (" .. tostring(degraded.reason) .. ")")
  return hs
end

if isTrue(ready) then
  hs.status = "Healthy"
  hs.message = messageOf(ready, "the wanted version serves")
  return hs
end

-- Queued behind the fleet's rollout cap: nothing happens to this tenant (its current version keeps serving)
-- until the operator admits it, as Argo CD shows a Job queued by suspension.
if isTrue(progressing) and progressing.reason == "WaitingForRolloutSlot" then
  hs.status = "Suspended"
  hs.message = messageOf(progressing, "waiting for a fleet rollout slot")
  return hs
end

hs.status = "Progressing"
hs.message = messageOf(ready, messageOf(progressing, "the operator is working on it"))
return hs
