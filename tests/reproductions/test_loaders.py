"""Real-data loaders on small files the tests create: IXI/BraTS/SynthRAD NIfTI, DICOM, MedMNIST."""

from __future__ import annotations

import nibabel as nib
import numpy as np
import pytest

from reproductions.data import load_dicom_folder, load_medmnist, load_nifti_folder, load_path, split_by_subject


def _vol(seed: int, shape=(20, 24, 10), hi=1000.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = np.zeros(shape, np.float32)
    v[4:16, 4:20] = rng.uniform(0.2 * hi, hi, size=(12, 16, shape[2]))
    return v


def _save(path, vol):
    path.parent.mkdir(parents=True, exist_ok=True)
    nib.save(nib.Nifti1Image(vol, np.eye(4)), str(path))


def test_ixi_flat_files(tmp_path):
    for i in range(3):
        for mod in ("T1", "T2", "PD"):
            _save(tmp_path / f"IXI00{i}-Guys-0001-{mod}.nii.gz", _vol(i))
    _save(tmp_path / "IXI009-HH-0002-T1.nii.gz", _vol(9))  # subject without T2/PD: dropped
    data = load_nifti_folder(tmp_path, size=16, slices_per_subject=4)
    assert sorted(data.modalities) == ["PD", "T1", "T2"]
    assert len(data.subjects) == 3 and data.images["T1"].shape == (12, 1, 16, 16)
    assert data.images["T2"].min() >= -1 and data.images["T2"].max() <= 1
    assert len(split_by_subject(data, 0).test.subjects) == 1


def test_brats_folders_with_segmentation(tmp_path):
    for i in range(3):
        case = f"BraTS20_Training_00{i}"
        for mod in ("t1", "t1ce", "t2", "flair"):
            _save(tmp_path / case / f"{case}_{mod}.nii.gz", _vol(i))
        seg = np.zeros((20, 24, 10), np.float32)
        seg[8:12, 8:12] = 1
        _save(tmp_path / case / f"{case}_seg.nii.gz", seg)
    data = load_path(tmp_path, size=16, slices_per_subject=3)
    assert sorted(data.modalities) == ["FLAIR", "T1", "T1ce", "T2"]
    assert data.lesion.any() and data.label.sum() == len(data)


def test_synthrad_ct_in_hu(tmp_path):
    for i in range(3):
        _save(tmp_path / f"1BA00{i}" / "mr.nii.gz", _vol(i))
        ct = _vol(i, hi=1500.0) - 1000.0
        _save(tmp_path / f"1BA00{i}" / "ct.nii.gz", ct)
        _save(tmp_path / f"1BA00{i}" / "mask.nii.gz", (ct > -900).astype(np.float32))
    data = load_nifti_folder(tmp_path, size=16, slices_per_subject=2)
    assert sorted(data.modalities) == ["CT", "MR"]
    assert data.windows["CT"].unit == "HU"
    hu = data.windows["CT"].to_physical(data.images["CT"])
    assert float(hu.min()) == pytest.approx(-1000.0, abs=1.0)


def test_dicom_series(tmp_path):
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    for subject in ("p1", "p2", "p3"):
        for k in range(5):
            meta = FileMetaDataset()
            meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
            meta.MediaStorageSOPInstanceUID = generate_uid()
            meta.TransferSyntaxUID = ExplicitVRLittleEndian
            ds = Dataset()
            ds.file_meta = meta
            ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
            ds.Modality, ds.PatientID, ds.InstanceNumber = "CT", subject, k + 1
            ds.ImagePositionPatient = [0, 0, float(k)]
            ds.Rows, ds.Columns = 12, 12
            ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
            ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
            ds.RescaleSlope, ds.RescaleIntercept = 1, -1024
            px = np.full((12, 12), 1024 + 40 * k, np.uint16)  # 40 k HU
            ds.PixelData = px.tobytes()
            (tmp_path / subject).mkdir(exist_ok=True)
            ds.save_as(str(tmp_path / subject / f"{k}.dcm"), enforce_file_format=True)
    data = load_dicom_folder(tmp_path, size=8, slices_per_subject=3)
    assert data.modalities == ["CT"] and len(data.subjects) == 3
    hu = data.windows["CT"].to_physical(data.images["CT"])
    assert 0 <= float(hu.min()) and float(hu.max()) <= 160.5


def test_medmnist_npz(tmp_path):
    rng = np.random.default_rng(0)
    p = tmp_path / "pneumoniamnist.npz"
    np.savez(p, train_images=rng.integers(0, 255, (10, 28, 28), dtype=np.uint8), train_labels=rng.integers(0, 2, (10, 1)),
             test_images=rng.integers(0, 255, (4, 28, 28), dtype=np.uint8), test_labels=rng.integers(0, 2, (4, 1)))
    data = load_medmnist(p, size=32)
    assert data.images["image"].shape == (14, 1, 32, 32) and data.label.shape == (14,)
    assert load_path(p, size=32).modalities == ["image"]


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_path(tmp_path / "nope")
