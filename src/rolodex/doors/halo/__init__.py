"""HaloPSA dialect: /halo/api and /halo/auth/token (Client "Area", Site, CRMNote, ...)."""
