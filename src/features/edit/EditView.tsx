// The Edit view: add a MEMOIR edit, watch it train, manage the stored edits of the loaded model, and
// set the two editors' gates (MEMOIR's τ, SERAC's scope threshold) and MEMOIR's calibration and preset;
// keep the edits (backup file, and the browser asked for persistent storage once the first edit is
// stored).
import { useModel } from '../../hooks/model-context';
import { useSeracCompanions } from '../../hooks/serac-companions';
import { ModelLoading } from '../../components/ModelLoading';
import { BackupPanel } from './components/BackupPanel';
import { CalibrationPanel, NotCalibratedNotice } from './components/CalibrationPanel';
import { EditForm } from './components/EditForm';
import { EditList } from './components/EditList';
import { GateControl } from './components/GateControl';
import { NotInForceList } from './components/NotInForceList';
import { SeracGateControl } from './components/SeracGateControl';
import { SharedLinkBanner } from './components/SharedLinkBanner';
import { SharePanel } from './components/SharePanel';
import { TrainingPanel } from './components/TrainingPanel';
import { ZsreFilePanel } from './components/ZsreFilePanel';
import { useMemoirCalibration } from './hooks/useMemoirCalibration';
import { useMemoirEdits } from './hooks/useMemoirEdits';
import { useShareLink } from './hooks/useShareLink';
import { useStoragePersistence } from './hooks/useStoragePersistence';

export function EditView() {
  const {
    modelReady,
    status,
    notice,
    training,
    apply,
    reapply,
    importEdits,
    cancel,
    remove,
    setTau,
    exportBackup,
    importBackup,
  } = useMemoirEdits();
  const { incoming, dismiss, linkFor } = useShareLink();
  const serac = useSeracCompanions();
  const ready = status.state === 'ready' ? status.value : null;
  const calibration = useMemoirCalibration(ready);
  const persistence = useStoragePersistence((ready?.edits.length ?? 0) > 0);
  const { active } = useModel();
  return (
    <section>
      <h2>Edit (MEMOIR)</h2>
      {!modelReady && <ModelLoading then="train MEMOIR edits of it, list them and set the gates" />}
      {notice && (
        <p className="notice warn" role="status">
          {notice}
        </p>
      )}
      <SharedLinkBanner
        incoming={incoming}
        modelId={ready?.modelId ?? null}
        busy={training.state === 'running'}
        onImport={() => {
          if (incoming.state !== 'ready') return;
          dismiss();
          void importEdits(incoming.set.edits);
        }}
        onDismiss={dismiss}
      />
      <NotCalibratedNotice calibration={calibration.calibration} />
      <EditForm
        disabled={
          !modelReady ||
          status.state !== 'ready' ||
          training.state === 'running' ||
          calibration.run.state === 'running'
        }
        onApply={apply}
      />
      {active?.chatTemplate && (
        <p className="muted" data-testid="edit-prompt-form">
          An edit is trained on its prompt as raw text, as typed, not in this model&apos;s chat template
          (Probe and Compare in Chat mode send the template).
        </p>
      )}
      <TrainingPanel training={training} onCancel={cancel} />
      {status.state === 'failed' && <p className="notice error">{status.message}</p>}
      {status.state === 'ready' && (
        <>
          {status.value.problems.map((problem) => (
            <p className="notice warn" key={problem}>
              {problem}
            </p>
          ))}
          <h3>Stored edits</h3>
          <EditList edits={status.value.edits} busy={training.state === 'running'} onDelete={remove} />
          <NotInForceList
            edits={status.value.notInForce}
            busy={training.state === 'running'}
            onReapply={reapply}
            onRemove={remove}
          />
          {status.value.edits.length > 0 && (
            <SharePanel
              count={status.value.edits.length}
              makeLink={() => linkFor(status.value.modelId, status.value.edits)}
            />
          )}
          <ZsreFilePanel
            edits={status.value.edits}
            busy={training.state === 'running'}
            onImport={importEdits}
          />
          <h3>Gates</h3>
          <GateControl
            key={`${status.value.modelId}:${status.value.config.tau}`}
            config={status.value.config}
            defaultTau={status.value.defaultTau}
            busy={training.state === 'running'}
            onSetTau={setTau}
          />
          <CalibrationPanel
            calibration={calibration.calibration}
            run={calibration.run}
            memory={status.value}
            busy={training.state === 'running'}
            onCalibrate={calibration.calibrate}
            onCancel={calibration.cancel}
            onPreset={calibration.setPreset}
            onSetTau={setTau}
          />
        </>
      )}
      {modelReady && (
        <SeracGateControl
          gate={serac.gate}
          calibrating={serac.calibrating}
          onSetThreshold={serac.setThreshold}
          onSetCompanions={serac.setCompanions}
          onCalibrate={() => void serac.calibrate()}
          onCancel={serac.cancel}
        />
      )}
      {ready && (
        <BackupPanel
          inForce={ready.edits.length}
          stored={ready.edits.length + ready.notInForce.length}
          busy={training.state === 'running'}
          persistence={persistence}
          onExport={exportBackup}
          onImport={importBackup}
        />
      )}
    </section>
  );
}
